import Foundation
import KeawatchModel
import KeawatchRules
import Testing

@Suite struct RuleFileTests {
    static let rulesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("rules")

    static let shippedFiles: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: rulesDirectory.path)) ?? [])
        .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }.sorted()

    @Test func theDefaultRulesAreShipped() {
        #expect(Self.shippedFiles.contains("kea-ha.json"))
    }

    @Test(arguments: shippedFiles)
    func everyShippedRuleFileLoads(name: String) throws {
        let bytes = Array(try Data(contentsOf: Self.rulesDirectory.appendingPathComponent(name)))
        let rules = try Rule.parseFile(bytes, file: name)
        #expect(!rules.isEmpty)
        for rule in rules {
            #expect(!rule.summary.isEmpty)
        }
    }

    @Test func defaultRulesCoverTheIncidentReportsWarningSigns() throws {
        let bytes = Array(try Data(contentsOf: Self.rulesDirectory.appendingPathComponent("kea-ha.json")))
        let rules = try Rule.parseFile(bytes, file: "kea-ha.json")
        let names = Set(rules.map(\.name))
        #expect(
            names.isSuperset(of: [
                "KeaServerUnreachable", "KeaHAPartnerDown", "KeaHACommunicationInterrupted", "KeaHAHeartbeatStale",
                "KeaHAUnackedClients", "KeaHATransitionStalled", "KeaHATerminated", "KeaHASplitBrain",
                "KeaHAStateChanged",
            ])
        )
        #expect(rules.first { $0.name == "KeaHAStateChanged" }?.severity == .info)
        #expect(rules.first { $0.name == "KeaHASplitBrain" }?.scope == .pair)
        #expect(rules.first { $0.name == "KeaHAPartnerDown" }?.scope == .relationship)
        #expect(rules.first { $0.name == "KeaServerUnreachable" }?.scope == .target)
    }

    @Test func aFullRuleDecodesEveryPart() throws {
        let rules = try Rule.parseFile(
            Array(
                """
                {"rules": [{"name": "Stale", "kind": "condition", "severity": "critical",
                  "when": {"all": [{"field": "remote.age", ">": 60}, {"not": {"field": "local.state", "in": ["waiting", "syncing"]}}]},
                  "for": "1m", "keep_firing_for": "30s", "repeat_interval": "4h",
                  "flapping": {"changes": 4, "within": "10m"}, "labels": {"team": "dhcp"},
                  "summary": "{{target}} stale for {{duration}}", "description": "age {{value}}"}]}
                """.utf8
            ),
            file: "r.json"
        )
        let rule = try #require(rules.first)
        #expect(rule.severity == .critical)
        #expect(rule.pendingFor == .seconds(60))
        #expect(rule.keepFiringFor == .seconds(30))
        #expect(rule.repeatInterval == .seconds(4 * 3600))
        #expect(rule.flapping == Rule.Flapping(changes: 4, window: .seconds(600)))
        #expect(rule.labels == ["team": "dhcp"])
        #expect(
            rule.kind
                == .condition(
                    .all([
                        .compare(FieldReference(field: .remoteAge), .greater, .number(60)),
                        .not(
                            .member(
                                FieldReference(field: .localState),
                                [.text("waiting"), .text("syncing")],
                                negated: false
                            )
                        ),
                    ])
                )
        )
    }

    /// A table of mistakes and the message each must produce.
    @Test(arguments: [
        ("{\"rules\": [", "r.json: line 1, column 12: expected a JSON value"),
        (
            // A misspelt key is two mistakes: the key nobody knows, and the one that is missing.
            "{\"rule\": []}",
            "r.json: $.rule: expected no such key (known keys: $schema, correlations, description, rules)\n"
                + "r.json: $.rules: expected an array of rules, found nothing"
        ),
        ("[]", "r.json: $: expected an object, found an array"),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"threshold\"}]}",
            "r.json: $.rules[0].kind: expected one of condition, unreachable, state-change, change-event, pair, recurrence, found \"threshold\""
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"condition\", \"when\": {\"field\": \"remote.agee\", \">\": 60}}]}",
            "r.json: $.rules[0].when.field: expected a field: reachable, error.kind, uptime, ha-mode, local.role, local.state, local.server-name, remote.role, remote.last-state, remote.server-name, remote.age, remote.in-touch, remote.communication-interrupted, remote.connecting-clients, remote.unacked-clients, remote.unacked-clients-left, remote.analyzed-packets, remote.clock-skew, dhcp-state, sockets.status, subnet.total-addresses, subnet.assigned-addresses, subnet.declined-addresses, subnet.free-addresses, subnet.utilization, subnet.total-pds, subnet.assigned-pds, subnet.pd-utilization, subnet.declined-growth, subnet.hours-to-full, subnet.split-pool-utilization, config.differences, config.reservation-conflicts, config.ha-advice, found \"remote.agee\""
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"condition\", \"when\": {\"field\": \"remote.age\", \">\": \"60\"}}]}",
            "r.json: $.rules[0].when[\">\"]: expected a number for remote.age, found a string"
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"condition\", \"when\": {\"field\": \"local.state\", \">\": \"ready\"}}]}",
            "r.json: $.rules[0].when[\">\"]: expected == or != for local.state, which is not a number"
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"condition\", \"when\": {\"field\": \"remote.age\", \">\": 1, \"<\": 9}}]}",
            "r.json: $.rules[0].when: expected exactly one operator of ==, !=, >, >=, <, <=, in, not in, found >, <"
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"condition\", \"when\": {\"all\": []}}]}",
            "r.json: $.rules[0].when.all: expected at least one condition"
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"condition\", \"when\": {\"field\": \"reachable\", \"==\": false}, \"for\": \"1 minute\"}]}",
            "r.json: $.rules[0].for: expected a duration from 0s to 3650d (10 years) such as \"500ms\", \"5s\", \"1m30s\", \"2d\" or a number of seconds, found \"1 minute\""
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"unreachable\", \"severity\": \"page\"}]}",
            "r.json: $.rules[0].severity: expected critical, warning or info, found \"page\""
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"unreachable\", \"error_kinds\": [\"refused\"]}]}",
            "r.json: $.rules[0].error_kinds[0]: expected one of connection-refused, timeout, dns, tls, connection-lost, http-status, response-too-large, invalid-response, kea-error, transport, found \"refused\""
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"pair\", \"when\": {\"field\": \"local.state\", \"==\": \"partner-down\"}}]}",
            "r.json: $.rules[0].when.field: expected a field starting with self. or partner. (pair rule), found \"local.state\""
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"state-change\", \"field\": \"local.state\", \"expected_paths\": [[\"waiting\"]]}]}",
            "r.json: $.rules[0].settle: expected a duration such as \"60s\", found nothing"
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"state-change\", \"field\": \"remote.age\", \"expected_paths\": [], \"settle\": \"1m\"}]}",
            "r.json: $.rules[0].field: expected a text field: error.kind, ha-mode, local.role, local.state, local.server-name, remote.role, remote.last-state, remote.server-name, dhcp-state, sockets.status, found \"remote.age\""
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"unreachable\", \"labels\": {\"target\": \"x\"}}]}",
            "r.json: $.rules[0].labels.target: expected a label other than alertname, pair, relationship, severity, target"
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"unreachable\", \"flapping\": {\"changes\": 1, \"within\": \"5m\"}}]}",
            "r.json: $.rules[0].flapping.changes: expected a whole number from 2 to 1000, found 1"
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"unreachable\"}, {\"name\": \"A\", \"kind\": \"unreachable\"}]}",
            "r.json: $.rules[1].name: expected a name no other rule in the file has, found \"A\""
        ),
        (
            "{\"rules\": [{\"name\": \"A\", \"kind\": \"unreachable\", \"when\": {}}]}",
            "r.json: $.rules[0].when: expected no such key (known keys: description, error_kinds, flapping, for, keep_firing_for, kind, labels, name, repeat_interval, severity, summary)"
        ),
    ])
    func invalidRuleFilesSayWhereAndWhat(text: String, message: String) {
        do {
            _ = try Rule.parseFile(Array(text.utf8), file: "r.json")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description == message)
        }
    }
}

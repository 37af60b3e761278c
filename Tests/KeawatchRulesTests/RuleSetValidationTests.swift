import KeawatchModel
import KeawatchRules
import Testing

/// Correlations and recurrence rules: bad input is a rule error naming the file, the JSON path and
/// what was expected (what `keawatch check` prints).
@Suite struct RuleSetValidationTests {
    static let rules = """
        {"name": "Down", "kind": "unreachable", "labels": {"team": "dhcp"}},
        {"name": "PartnerDown", "kind": "condition", "when": {"field": "local.state", "==": "partner-down"}},
        {"name": "Stale", "kind": "condition", "when": {"field": "remote.age", ">": 60}},
        {"name": "Loop", "kind": "recurrence", "when": {"field": "reachable", "==": false}, "count": 3, "within": "10m"}
        """

    static func validate(_ correlations: String, pollInterval: Duration? = nil) throws(LocatedErrors) -> RuleSet {
        let set = try RuleSet.parseFile(
            Array("{\"rules\": [\(rules)], \"correlations\": [\(correlations)]}".utf8),
            file: "r.json"
        )
        try set.validate(pollInterval: pollInterval)
        return set
    }

    @Test func aCorrelationDecodesWithPairAsTheDefaultEqualLabel() throws {
        let set = try Self.validate(#"{"causes": "Down", "explains": ["PartnerDown", "Stale"], "description": "x"}"#)
        #expect(
            set.correlations == [
                Correlation(
                    causes: ["Down"],
                    explains: ["PartnerDown", "Stale"],
                    equal: ["pair"],
                    description: "x",
                    file: "r.json",
                    path: JSONPath.root.appending("correlations").appending(0)
                )
            ]
        )
        let loop = try #require(set.rules.first { $0.name == "Loop" })
        guard case .recurrence(let recurrence) = loop.kind else {
            Issue.record("not a recurrence: \(loop.kind)")
            return
        }
        #expect(recurrence.count == 3)
        #expect(recurrence.within == .seconds(600))
        #expect(recurrence.settle == .seconds(600))  // defaults to the window
    }

    @Test(arguments: [
        (
            #"{"causes": "Dwon", "explains": "PartnerDown"}"#,
            #"r.json: $.correlations[0].causes[0]: expected the name of a rule (Down, PartnerDown, Stale, Loop), found "Dwon""#
        ),
        (
            #"{"causes": "Down", "explains": ["Stale", "Nope"]}"#,
            #"r.json: $.correlations[0].explains[1]: expected the name of a rule (Down, PartnerDown, Stale, Loop), found "Nope""#
        ),
        (
            #"{"causes": "Down", "explains": "Stale", "equal": ["pair", "site"]}"#,
            #"r.json: $.correlations[0].equal[1]: expected a label the alerts carry (alertname, pair, relationship, severity, target, team), found "site""#
        ),
        (
            #"{"causes": "Down", "explains": "Stale"}, {"causes": "Stale", "explains": "PartnerDown"}, {"causes": "PartnerDown", "explains": "Down"}"#,
            "r.json: $.correlations[2]: expected explanations without a cycle, found PartnerDown explains Down explains Stale explains PartnerDown"
        ),
        (
            #"{"causes": "Down", "explains": "Down"}"#,
            "r.json: $.correlations[0]: expected explanations without a cycle, found Down explains Down"
        ),
        (
            #"{"causes": [], "explains": "Down"}"#,
            "r.json: $.correlations[0].causes: expected a rule name or a non-empty list of them, found an array"
        ),
        (
            #"{"causes": "Down", "explains": "Stale", "inhibit": true}"#,
            "r.json: $.correlations[0].inhibit: expected no such key (known keys: causes, description, equal, explains)"
        ),
    ])
    func badCorrelationsSayWhereAndWhat(correlations: String, message: String) {
        do {
            _ = try Self.validate(correlations)
            Issue.record("accepted: \(correlations)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func aRecurrenceWindowShorterThanThePollIntervalIsRefused() {
        do {
            _ = try Self.validate("", pollInterval: .seconds(900))
            Issue.record("accepted a 10m window at a 15m poll interval")
        } catch {
            #expect(
                error.description
                    == "r.json: $.rules[3].within: expected a window of at least the poll interval (900000ms), found 600000ms"
            )
        }
    }

    @Test(arguments: [
        (
            #"{"name": "L", "kind": "recurrence", "when": {"field": "reachable", "==": false}, "count": 1, "within": "1m"}"#,
            "r.json: $.rules[0].count: expected a whole number of at least 2"
        ),
        (
            #"{"name": "L", "kind": "recurrence", "when": {"field": "reachable", "==": false}, "count": 3}"#,
            #"r.json: $.rules[0].within: expected a positive duration such as "10m""#
        ),
        (
            #"{"name": "L", "kind": "recurrence", "count": 3, "within": "1m"}"#,
            "r.json: $.rules[0].when: expected a condition, found nothing"
        ),
    ])
    func badRecurrenceRulesSayWhereAndWhat(rule: String, message: String) {
        do {
            _ = try RuleSet.parseFile(Array("{\"rules\": [\(rule)]}".utf8), file: "r.json")
            Issue.record("accepted: \(rule)")
        } catch {
            #expect(error.description == message)
        }
    }
}

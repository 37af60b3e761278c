import Foundation
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import KeawatchRules
import KeawatchStore
import Testing

/// What a receiver gets — not which rules fired — when the daemon's pipeline (default rules,
/// default routing, one webhook receiver, no routes written) runs over traces recorded from the
/// real Kea 2.2 lab pair (`scripts/record-traces`, 1 s polls): one message per root cause, led by
/// it, and one resolve soon after the pair is healthy again; nothing at all for normal transitions.
@Suite struct NotificationReplayTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func config() throws -> KeawatchConfig {
        let text = """
            {"poll_interval": "1s", "rules": ["\(root.path)/rules"],
             "targets": [{"name": "server1", "url": "http://127.0.10.1:8000/"},
                         {"name": "server2", "url": "http://127.0.10.2:8000/"}],
             "receivers": [{"name": "oncall", "type": "webhook", "url": "http://127.0.10.1:9/"}]}
            """
        return try KeawatchConfig.load(
            file: "/etc/keawatch/config.json",
            sources: KeawatchConfig.Sources(
                environment: [:],
                readFile: { _ in Array(text.utf8) },
                fileExists: { $0 == "/etc/keawatch/config.json" || FileManager.default.fileExists(atPath: $0) }
            )
        )
    }

    static func records(_ trace: String) throws -> [HistoryRecord] {
        let url = root.appendingPathComponent("Tests/KeawatchEngineTests/Traces/\(trace).jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        return try lines.map { try HistoryRecord(line: String($0)) }.enumerated()
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }

    static func replay(_ trace: String) throws -> (messages: [NotificationReplay.Message], records: [HistoryRecord]) {
        let config = try config()
        let rules = try RuleFiles.loadSet(config.rulePaths, pollInterval: config.pollInterval)
        let records = try records(trace)
        return (NotificationReplay.run(records, rules: rules, config: config), records)
    }

    /// When both servers were last back in an operational state after the last time either was not.
    static func healthyAgain(_ records: [HistoryRecord]) -> Date? {
        let operational: Set<HAState> = [.loadBalancing, .hotStandby, .backup, .passiveBackup]
        var latest: [String: Bool] = [:]
        var lastUnhealthy: Date?
        var healthySince: Date?
        for record in records {
            let observation = record.observation
            latest[observation.target] =
                observation.status?.relationships.allSatisfy { operational.contains($0.local.state) } ?? false
            if latest.values.contains(false) {
                lastUnhealthy = record.at
                healthySince = nil
            } else if lastUnhealthy != nil && healthySince == nil {
                healthySince = record.at
            }
        }
        return healthySince
    }

    @Test(arguments: ["cold-start", "secondary-restart", "hot-standby-restart", "comm-blip"])
    func normalTransitionsSendNothing(trace: String) throws {
        let messages = try Self.replay(trace).messages
        #expect(messages.isEmpty, "\(messages.map { $0.json.serialized })")
    }

    /// trace, the rule that must lead the page, its subject, words its summary must contain.
    @Test(arguments: [
        ("secondary-down", "KeaServerUnreachable", "server2", "cannot be polled"),
        ("daemon-down", "KeaServerUnreachable", "server2", "(kea-error)"),
        ("hot-standby-primary-down", "KeaServerUnreachable", "server1", "cannot be polled"),
        ("split-brain", "KeaHASplitBrain", "server1+server2", "Split brain"),
        ("unacked-clients", "KeaHAUnackedClients", "server1", "failover is near"),
        ("crash-loop", "KeaServerRestartLoop", "server2", "restarted 3 times within 10m"),
    ])
    func oneFaultIsOnePageLedByItsCauseAndOneResolve(
        trace: String,
        cause: String,
        subject: String,
        words: String
    ) throws {
        let (messages, records) = try Self.replay(trace)
        let statuses = messages.map(\.notification.status)
        #expect(statuses == [.firing, .resolved], "\(messages.map { $0.json.serialized })")
        guard messages.count == 2 else { return }
        let page = messages[0].notification
        let lead = try #require(page.items.first?.alert)
        #expect(lead.rule == cause)
        #expect((lead.label("target") ?? lead.label("pair")) == subject)
        #expect(lead.summary.contains(words), "\(lead.summary)")
        #expect(page.groupLabels.map(\.value) == ["server1+server2"])
        // The resolve tells the same story: every alert of the page resolved, symptoms inside.
        let resolve = messages[1].notification
        #expect(resolve.items.allSatisfy { $0.status == .resolved })
        #expect(resolve.items.first?.alert.rule == cause)
        #expect(resolve.followsUp == page.idempotencyKey)
        if cause != "KeaServerRestartLoop" {
            let healthy = try #require(Self.healthyAgain(records))
            let delay = messages[1].at.timeIntervalSince(healthy)
            #expect(delay >= -1 && delay <= 15, "resolve \(delay)s after both servers were operational again")
        }
    }

    @Test func aLongOutageExplainsItsSymptomsInsideTheCausesMessage() throws {
        let messages = try Self.replay("secondary-down").messages
        let resolve = try #require(messages.last?.notification.items.first)
        let symptoms = Set(resolve.alsoObserved.map { String($0.prefix { $0 != ":" }) })
        #expect(
            symptoms == [
                "KeaHAHeartbeatStale", "KeaHACommunicationInterrupted", "KeaHAPartnerDown", "KeaHAServingAlone",
            ]
        )
        #expect(messages.flatMap(\.notification.items).allSatisfy { $0.alert.rule == "KeaServerUnreachable" })
    }

    @Test func aCrashLoopPagesOnceAndResolvesAfterTheSettlePeriod() throws {
        let (messages, records) = try Self.replay("crash-loop")
        #expect(messages.count == 2)
        guard messages.count == 2 else { return }
        // The last time server2 was down or came back in waiting.
        let lastRestart = try #require(
            records.last { record in
                record.target == "server2"
                    && (record.observation.status?.relationships.contains { $0.local.state == .waiting } ?? true)
            }?.at
        )
        let settle = messages[1].at.timeIntervalSince(lastRestart)
        #expect(settle >= 120 && settle <= 122, "resolved \(settle)s after the last restart")
        // Within two minutes of the first kill, not after a `for` the short episodes never reach.
        let firstDown = try #require(records.first { $0.target == "server2" && !$0.observation.isReachable }?.at)
        #expect(messages[0].at.timeIntervalSince(firstDown) < 120)
    }

    @Test func theJSONLineIsTheDocumentedContract() throws {
        let message = try #require(try Self.replay("secondary-down").messages.first)
        let json = message.json
        #expect(json.objectValue?.members.map(\.key) == ["at", "receiver", "status", "groupLabels", "alerts"])
        #expect(json["receiver"]?.stringValue == "oncall")
        #expect(json["status"]?.stringValue == "firing")
        #expect(json["groupLabels"]?["pair"]?.stringValue == "server1+server2")
        let alert = try #require(json["alerts"]?.arrayValue?.first)
        #expect(
            alert.objectValue?.members.map(\.key) == [
                "status", "labels", "annotations", "startsAt", "endsAt", "fingerprint",
            ]
        )
        #expect(alert["labels"]?["alertname"]?.stringValue == "KeaServerUnreachable")
        #expect(alert["labels"]?["pair"]?.stringValue == "server1+server2")
        #expect(alert["annotations"]?["also_observed"]?.stringValue?.contains("KeaHAHeartbeatStale") == true)
        let at = try #require(json["at"]?.stringValue.flatMap(Timestamp.parse))
        #expect(abs(at.timeIntervalSince(message.at)) < 0.001)
    }
}

/// The daemon's pipeline (the same `AlertCore`, with its store) over the recorded outage: the
/// status endpoint lists the symptoms as firing but suppressed, naming their cause.
@Suite struct ExplainedStatusTests {
    @Test func theStatusNamesTheCauseThatExplainsASymptom() async throws {
        let config = try NotificationReplayTests.config()
        let rules = try RuleFiles.loadSet(config.rulePaths, pollInterval: config.pollInterval)
        let records = try NotificationReplayTests.records("secondary-down")
        let pipeline = try await AlertPipeline(
            rules: rules.rules,
            correlations: rules.correlations,
            config: config,
            store: try SQLiteStore(path: nil),
            transport: CurlTransport(),
            now: records[0].at
        )
        // Up to the moment server1 has been in partner-down past its 2 minutes, server2 still gone.
        let until = try #require(Timestamp.parse("2026-11-25T17:51:30.000Z"))
        for record in records where record.at <= until {
            try await pipeline.observe([record.observation], at: record.at)
        }
        let status = try await pipeline.status(at: until)
        let alerts = status["alerts"]?.arrayValue ?? []
        func entry(_ rule: String) -> JSONValue? { alerts.first { $0["rule"]?.stringValue == rule } }
        #expect(entry("KeaServerUnreachable")?["suppressed"] == nil)
        for symptom in [
            "KeaHAPartnerDown", "KeaHAServingAlone", "KeaHACommunicationInterrupted", "KeaHAHeartbeatStale",
        ] {
            #expect(entry(symptom)?["state"]?.stringValue == "firing", "\(symptom)")
            #expect(
                entry(symptom)?["suppressed"]?.stringValue == "explained by KeaServerUnreachable (server2)",
                "\(symptom): \(String(describing: entry(symptom)))"
            )
        }
    }
}

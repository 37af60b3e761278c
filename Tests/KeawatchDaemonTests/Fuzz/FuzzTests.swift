import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchRules
import KeawatchStore
import KeawatchTestSupport
import Testing

@testable import KeawatchDaemon

/// The project looks for the next crash itself: seeded mutations of the shipped configuration and
/// rules, of every recorded Kea answer, and of requests to the endpoint. A crash or a hang fails
/// the run (the process dies, or the time limit trips); an error without a location fails a case.
/// `KEAWATCH_FUZZ_SEED` replays another seed, `KEAWATCH_FUZZ_CASES` runs more cases.
@Suite(.timeLimit(.minutes(5))) struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["KEAWATCH_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_201
    static let cases = environment["KEAWATCH_FUZZ_CASES"].flatMap { Int($0) } ?? 2000
    static let secret = "fuzz-secret-never-printed"
    static let root = Paths.packageRoot.path

    static let shippedRules = try! String(contentsOfFile: root + "/rules/kea-ha.json", encoding: .utf8)

    /// Every key the configuration knows, with secrets from files and the environment.
    static let richConfig = """
        {"poll_interval": "5s", "state_dir": "/var/lib/keawatch", "listen": "127.0.0.1:9547",
         "api_token_file": "token", "rules": ["rules.json"],
         "targets": [
           {"name": "kea-1", "url": "http://127.0.0.11:8000/", "username": "admin", "password_file": "kea.pass",
            "timeout": "2s", "max_response_bytes": 65536},
           {"name": "kea-2", "url": "https://127.0.0.12:8000/", "service": null, "username": "admin",
            "password_env": "KEA_PASSWORD", "ca_file": "ca.pem", "insecure_skip_verify": false}],
         "pairs": [{"name": "pair", "targets": ["kea-1", "kea-2"]}],
         "receivers": [
           {"name": "hook", "type": "webhook", "url_file": "hook.url", "headers": {"X-Team": "dhcp"},
            "hmac_secret_env": "HMAC", "rate_limit": "1s", "timeout": "5s"},
           {"name": "chat", "type": "slack", "url_env": "SLACK_URL", "send_resolved": false},
           {"name": "pager", "type": "pagerduty", "routing_key_file": "pd.key"},
           {"name": "am", "type": "alertmanager", "urls": ["http://127.0.0.1:9093/"], "resend_validity": "5m"},
           {"name": "mail", "type": "email", "smtp_url": "smtp://127.0.0.1:25", "starttls": "required",
            "from": "keawatch@example.org", "to": ["oncall@example.org"], "username": "mailer",
            "password_file": "smtp.pass"}],
         "routes": [{"match": {"severity": "critical"}, "receivers": ["pager", "mail"], "continue": true,
                     "group_by": ["pair"], "group_wait": "10s", "group_interval": "1m", "repeat_interval": "4h"},
                    {"receivers": ["hook", "chat", "am"]}],
         "inhibit": [{"source": {"alertname": "KeaServerUnreachable"}, "target": {"severity": "warning"},
                      "equal": ["pair"]}],
         "heartbeat": {"url_env": "HEARTBEAT", "interval": "1m", "timeout": "10s"},
         "self_alerts": {"polling_failing_for": "2m", "outbox_stuck_for": "10m"},
         "maintenance_silences": true}
        """

    static let files: [String: String] = [
        "/etc/keawatch/token": secret, "/etc/keawatch/kea.pass": secret, "/etc/keawatch/ca.pem": "PEM",
        "/etc/keawatch/hook.url": "https://hooks.example/\(secret)", "/etc/keawatch/pd.key": secret,
        "/etc/keawatch/smtp.pass": secret, "/etc/keawatch/rules.json": shippedRules,
    ]
    static let secrets = [
        "KEA_PASSWORD": secret, "HMAC": secret, "SLACK_URL": "https://hooks.example/\(secret)",
        "HEARTBEAT": "https://hc.example/\(secret)",
    ]

    @Test func mutatedConfigurationsNeverCrashAndEveryErrorIsLocated() async throws {
        let seeds = [
            try JSONValue.parse(Self.richConfig),
            try JSONValue.parse(try String(contentsOfFile: Self.root + "/packaging/config.json", encoding: .utf8)),
        ]
        var mutator = JSONMutator(seed: Self.seed)
        var refused = 0
        for index in 0..<Self.cases {
            await Self.yieldNowAndThen(index)
            let bytes = mutator.text(of: mutator.mutate(seeds[index % seeds.count]))
            let sources = KeawatchConfig.Sources(
                environment: Self.secrets,
                readFile: { path in
                    if path == "/etc/keawatch/config.json" { return bytes }
                    guard let text = Self.files[path] else { throw ConfigLoadingTests.TestFileMissing() }
                    return Array(text.utf8)
                },
                fileExists: { Self.files[$0] != nil || $0 == "/usr/share/keawatch/rules/kea-ha.json" }
            )
            do {
                _ = try KeawatchConfig.load(file: "/etc/keawatch/config.json", sources: sources)
            } catch {
                refused += 1
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(!error.isEmpty, "case \(index): refused without a mistake")
                for mistake in error {
                    #expect(mistake.location != nil, "case \(index): unlocated: \(mistake) for \(text.prefix(300))")
                    #expect(!mistake.description.contains(Self.secret), "case \(index): echoed a secret: \(mistake)")
                    #expect(
                        mistake.description.utf8.count < 2000,
                        "case \(index): a message of \(mistake.description.utf8.count) bytes"
                    )
                }
            }
        }
        #expect(refused > Self.cases / 4)  // the mutations do reach the validation
    }

    @Test func mutatedRuleFilesNeverCrashAndLoadedOnesEvaluate() async throws {
        let seed = try JSONValue.parse(Self.shippedRules)
        let trace = try Self.trace("secondary-down.jsonl")
        var mutator = JSONMutator(seed: Self.seed &+ 1)
        var loaded = 0
        for index in 0..<Self.cases {
            await Self.yieldNowAndThen(index)
            let bytes = mutator.text(of: mutator.mutate(seed))
            do {
                let rules = try Rule.parseFile(bytes, file: "rules.json")
                loaded += 1
                // What loads must also run: extreme timers meet real observations.
                if index % 4 == 0 {
                    let engine = Engine(rules: rules)
                    var state = engine.makeState()
                    for observation in trace {
                        _ = engine.evaluate(&state, observations: [observation], at: observation.at)
                    }
                    _ = try engine.restore(state.checkpoint())
                }
            } catch let error as LocatedErrors {
                #expect(!error.isEmpty && error.allSatisfy { $0.location != nil }, "case \(index): unlocated: \(error)")
            } catch {
                Issue.record("case \(index): \(error)")
            }
        }
        #expect(loaded > 0)
    }

    @Test func mutatedKeaAnswersBecomeObservationsAndNeverCrashTheEngineOrMetrics() async throws {
        let directory = Self.root + "/Tests/KeawatchPollingTests/Fixtures"
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: directory).sorted().compactMap {
            try? JSONValue.parse(Array(FileManager.default.contents(atPath: directory + "/" + $0) ?? Data()))
        }
        try #require(!fixtures.isEmpty)
        let rules = try Rule.parseFile(Array(Self.shippedRules.utf8), file: "kea-ha.json")
        let engine = Engine(rules: rules)
        var state = engine.makeState()
        let metrics = AgentMetrics()
        var mutator = JSONMutator(seed: Self.seed &+ 2)
        var at = Date(timeIntervalSince1970: 1_764_000_000)
        for index in 0..<(Self.cases * 2) {
            await Self.yieldNowAndThen(index)
            var body = mutator.mutate(fixtures[index % fixtures.count])
            if index % 97 == 0 {
                // A server reporting ever more relationships.
                let relationship = fixtures[0].arrayValue?.first?["arguments"]?["high-availability"]?.arrayValue?.first
                body = .array([
                    .object([
                        "result": .number(0),
                        "arguments": .object([
                            "high-availability": .array(Array(repeating: relationship ?? .null, count: 1000))
                        ]),
                    ])
                ])
            }
            let parsed = (try? JSONValue.parse(mutator.text(of: body))) ?? body
            let target = "kea-\(index % 3)"
            let outcome: Observation.Outcome =
                switch KeaStatus.decode(response: parsed) {
                case .success(let status): .status(status)
                case .failure(let failure): .failure(failure)
                }
            let observation = Observation(target: target, at: at, outcome: outcome)
            metrics.recordPoll(target: target, duration: .milliseconds(3), observation: observation)
            for decision in engine.evaluate(&state, observations: [observation], at: at) {
                _ = decision.alert.json.serialized
            }
            at += 1
        }
        _ = try engine.restore(state.checkpoint())
        #expect(metrics.render().count < 2_000_000)
    }

    @Test func mutatedRequestsToTheEndpointGetAnAnswer() async throws {
        let api = try await HostileEndpointTests().api(try SQLiteStore(path: nil))
        let seeds = [
            try JSONValue.parse(
                #"{"matchers": ["pair=a+b", "alertname=~Kea.*"], "duration": "2h", "comment": "c", "created_by": "me"}"#
            ),
            try JSONValue.parse(#"{"matchers": ["target!~kea-[12]"], "ends_at": "2030-01-01T00:00:00Z"}"#),
        ]
        var mutator = JSONMutator(seed: Self.seed &+ 3)
        let paths = [
            "/api/v1/silences", "/api/v1/status", "/healthz", "/metrics", "/api/v1/history/kea-1",
            "/api/v1/history/%00", "/api/v1/silences/x", "/", "/api/v1/silences/" + String(repeating: "a", count: 5000),
        ]
        for index in 0..<(Self.cases / 2) {
            let method = mutator.pick(["GET", "POST", "POST", "POST", "DELETE", "PUT"])
            let path = method == "POST" ? "/api/v1/silences" : mutator.pick(paths)
            let body = mutator.text(of: mutator.mutate(seeds[index % seeds.count]))
            let response = await api.handle(method: method, path: path, body: body)
            // /healthz may say 503: no poller feeds this pipeline, so polling has "fallen behind".
            let answered = (200..<500).contains(response.status) || (path == "/healthz" && response.status == 503)
            #expect(answered, "case \(index): \(method) \(path) → \(response.status)")
        }
        #expect(await api.handle(method: "GET", path: "/api/v1/status", body: []).status == 200)
    }

    /// The test pool has as many threads as cores (two here): a CPU-bound loop that never
    /// suspends would starve every other suite running beside it (their servers' start-up
    /// deadlines run out while they wait for a thread).
    static func yieldNowAndThen(_ index: Int) async {
        if index % 10 == 0 { await Task.yield() }
    }

    static func trace(_ name: String) throws -> [Observation] {
        let text = try String(contentsOfFile: root + "/Tests/KeawatchEngineTests/Traces/" + name, encoding: .utf8)
        return try text.split(separator: "\n").map { try HistoryRecord(line: String($0)).observation }
    }
}

import Foundation
import InMemoryLogging
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchPolling
import KeawatchRules
import KeawatchStore
import KeawatchTestSupport
import Logging
import ServiceLifecycle
import Synchronization

@testable import KeawatchDaemon

// What the service tests share: a manual clock the services wait on, a transport that answers as
// a test says and notes when (in simulated time) each request came, and logs kept in memory.

extension ManualClock: AgentClock {}

/// Answers every request as `answer` says, noting each one with the simulated time it arrived.
final class FakeTransport: Transport {
    struct Request: Sendable {
        var url: String
        var at: Duration
    }

    private let clock: ManualClock
    private let answer: @Sendable (CurlRequest) async throws(CurlError) -> CurlResponse
    private let log = Mutex<[Request]>([])

    init(
        clock: ManualClock,
        answer: @escaping @Sendable (CurlRequest) async throws(CurlError) -> CurlResponse = { _ in
            CurlResponse(status: 200)
        }
    ) {
        self.clock = clock
        self.answer = answer
    }

    func perform(_ request: CurlRequest) async throws(CurlError) -> CurlResponse {
        log.withLock { $0.append(Request(url: request.url, at: clock.now.offset)) }
        return try await answer(request)
    }

    var requests: [Request] { log.withLock { $0 } }

    /// When requests to URLs starting with `prefix` came, in simulated time since the start.
    func times(of prefix: String) -> [Duration] {
        requests.filter { $0.url.hasPrefix(prefix) }.map(\.at)
    }
}

/// A Kea answer to `status-get` (one load-balancing relationship), as a Control Agent sends it.
let keaAnswer = CurlResponse(
    status: 200,
    body: Array(
        #"""
        [{"result": 0, "arguments": {"pid": 1, "uptime": 100, "reload": 100, "high-availability": [{"ha-mode": "load-balancing",
          "ha-servers": {"local": {"role": "primary", "server-name": "server1", "state": "load-balancing", "scopes": ["server1"]},
                         "remote": {"role": "secondary", "server-name": "server2", "last-state": "load-balancing",
                                    "in-touch": true, "age": 1, "communication-interrupted": false,
                                    "connecting-clients": 0, "unacked-clients": 0, "unacked-clients-left": 0,
                                    "analyzed-packets": 0, "last-scopes": ["server2"]}}}]}}]
        """#.utf8
    )
)

enum SimulatedAgent {
    /// One target, a webhook receiver for critical alerts (with no group wait unless told), and
    /// `extra` keys.
    static func config(_ extra: String = "", groupWait: String = "0s") throws -> KeawatchConfig {
        try KeawatchConfig.load(
            file: "/etc/keawatch/config.json",
            sources: ConfigLoadingTests.sources([
                "/etc/keawatch/config.json": """
                {"poll_interval": "5s",
                 "targets": [{"name": "server1", "url": "http://192.0.2.1:8000/"}],
                 "receivers": [{"name": "hook", "type": "webhook", "url": "http://192.0.2.9/hook"}],
                 "routes": [{"match": {"severity": ["critical"]}, "receivers": ["hook"],
                             "group_wait": "\(groupWait)", "group_interval": "1s"}]\(extra)}
                """
            ])
        )
    }

    /// `KeaServerUnreachable` after `for`.
    static func unreachableRule(for delay: String) throws -> [Rule] {
        try Rule.parseFile(
            Array(
                """
                {"rules": [{"name": "KeaServerUnreachable", "kind": "unreachable", "severity": "critical",
                            "for": "\(delay)", "summary": "{{target}} cannot be polled"}]}
                """.utf8
            ),
            file: "rules.json"
        )
    }

    static func unreachable(_ target: String = "server1", at date: Date) -> PollResult {
        PollResult(
            observation: Observation(
                target: target,
                at: date,
                outcome: .failure(PollFailure(kind: .connectionRefused, message: "connection refused"))
            ),
            rawResponse: nil,
            duration: .milliseconds(1)
        )
    }

    static func pipeline(
        rules: [Rule] = [],
        config: KeawatchConfig,
        transport: any Transport,
        clock: ManualClock,
        store: SQLiteStore? = nil
    ) async throws -> AlertPipeline {
        try await AlertPipeline(
            rules: rules,
            config: config,
            store: try store ?? SQLiteStore(path: nil),
            transport: transport,
            backoff: .init(jitter: 0),
            clock: clock
        )
    }
}

/// Log lines kept in memory, for tests that read what a service said.
struct CapturedLogs {
    let handler = InMemoryLogHandler()
    var logger: Logger { Logger(label: "test") { _ in handler } }
    var messages: [String] { handler.entries.map(\.message.description) }
}

/// Runs `services` in a service group around `body`, then shuts them down gracefully and waits
/// for them to end.
func withRunning(
    _ services: any Service...,
    logger: Logger = CapturedLogs().logger,
    _ body: () async throws -> Void
) async throws {
    let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

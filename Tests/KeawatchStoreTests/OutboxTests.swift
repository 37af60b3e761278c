import Foundation
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import KeawatchStore
import KeawatchTestSupport
import Testing

/// The durable outbox and its sender, against real HTTP receivers, in simulated time.
@Suite struct OutboxTests {
    let transport = CurlTransport(maxConcurrentTransfers: 8)
    static let start = Date(timeIntervalSince1970: 1_762_975_000)

    static func notification(_ number: Int, receiver: String = "hook") -> AlertNotification {
        let alert = Alert(
            rule: "KeaHAPartnerDown",
            severity: .critical,
            labels: [("severity", "critical"), ("target", "server\(number)")],
            summary: "notification \(number)",
            description: "",
            fingerprint: "fp\(number)",
            episode: "fp\(number)-1",
            startsAt: start
        )
        return AlertNotification(
            receiver: receiver,
            groupKey: "g\(number)",
            groupLabels: [],
            items: [.init(alert: alert, status: .firing)],
            idempotencyKey: "key-\(number)"
        )
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("keawatch-outbox-\(UUID().uuidString).sqlite")
            .path
    }

    func sender(
        _ store: SQLiteStore,
        _ receivers: [String: String],
        minimumInterval: [String: Duration] = [:]
    ) -> OutboxSender {
        OutboxSender(
            store: store,
            receivers: receivers.mapValues {
                WebhookSender(transport: transport, settings: .init(url: $0, timeout: .seconds(2)))
            },
            backoff: .init(base: .seconds(2), cap: .seconds(60), jitter: 0.2),
            minimumInterval: minimumInterval,
            random: { 0.5 }
        )
    }

    /// The idempotency keys of the requests the receiver saw, in arrival order.
    func received(_ stub: HTTPStub) -> [String] {
        stub.requests.compactMap { ($0["headers"] as? [String: String])?["Idempotency-Key"] }
    }

    @Test func queuedNotificationsAreDeliveredInOrderAndOnlyOnce() async throws {
        let stub = try await HTTPStub.start()
        let store = try SQLiteStore(path: Self.temporaryDatabase())
        try await store.enqueue((1...5).map { Self.notification($0) }, at: Self.start)
        try await store.enqueue([Self.notification(3)], at: Self.start)  // same idempotency key: ignored
        let report = try await sender(store, ["hook": stub.url("/status/200")]).drainOnce(at: Self.start)
        #expect(report.delivered.count == 5)
        #expect(received(stub) == (1...5).map { "key-\($0)" })
        #expect(try await store.nextDue() == nil)
        #expect(
            try await sender(store, ["hook": stub.url("/status/200")]).drainOnce(at: Self.start.addingTimeInterval(60))
                .delivered.isEmpty
        )
    }

    @Test func aReceiverDownForMinutesGetsEverythingAfterwardsInOrder() async throws {
        let stub = try await HTTPStub.start()
        stub.setDown("hook", true)
        let store = try SQLiteStore(path: Self.temporaryDatabase())
        let outbox = sender(store, ["hook": stub.url("/flaky/hook")])
        try await store.enqueue((1...10).map { Self.notification($0) }, at: Self.start)
        // Five minutes of simulated time: retries back off exponentially and keep the order.
        var now = Self.start
        var attempts = 0
        var rounds = 0
        while now < Self.start.addingTimeInterval(300) && rounds < 100 {
            rounds += 1
            let report = try await outbox.drainOnce(at: now)
            #expect(report.delivered.isEmpty)
            attempts += report.retried.count
            let next = try #require(try await store.nextDue())
            #expect(next > now)
            now = next
        }
        #expect(attempts >= 5 && attempts <= 10)  // 2 s, 4 s, 8 s, … capped at 60 s: not a retry storm
        let (depth, oldest) = try await store.outboxDepth(at: now)
        #expect(depth == 10)
        #expect((oldest ?? .zero) >= .seconds(300))
        // Back up: the next round delivers all ten, in the order they were queued.
        stub.setDown("hook", false)
        let report = try await outbox.drainOnce(at: now)
        #expect(report.delivered.count == 10)
        #expect(Array(received(stub).suffix(10)) == (1...10).map { "key-\($0)" })
    }

    @Test func permanentFailuresAreDeadLetteredWithTheReasonAndDoNotBlockTheRest() async throws {
        let stub = try await HTTPStub.start()
        let store = try SQLiteStore(path: nil)
        try await store.enqueue(
            [Self.notification(1, receiver: "broken"), Self.notification(2, receiver: "hook")],
            at: Self.start
        )
        let report = try await sender(store, ["broken": stub.url("/status/404"), "hook": stub.url("/status/200")])
            .drainOnce(at: Self.start)
        #expect(report.deadLettered.count == 1)
        #expect(report.delivered.count == 1)
        let dead = try await store.deadLetters()
        #expect(dead.map(\.receiver) == ["broken"])
        #expect(dead.first?.reason == "HTTP 404")
    }

    @Test func retryAfterIsHonoured() async throws {
        let stub = try await HTTPStub.start()
        let store = try SQLiteStore(path: nil)
        let outbox = OutboxSender(
            store: store,
            receivers: [
                "hook": WebhookSender(
                    transport: transport,
                    settings: .init(url: stub.url("/status/429"), headers: [("X-Retry-After", "45")])
                )
            ],
            random: { 0.5 }
        )
        try await store.enqueue([Self.notification(1)], at: Self.start)
        #expect(try await outbox.drainOnce(at: Self.start).retried.count == 1)
        #expect(try await store.nextDue() == Self.start.addingTimeInterval(45))
    }

    @Test func aPerReceiverRateLimitSpacesMessages() async throws {
        let stub = try await HTTPStub.start()
        let store = try SQLiteStore(path: nil)
        let outbox = sender(store, ["chat": stub.url("/status/200")], minimumInterval: ["chat": .seconds(1)])
        try await store.enqueue((1...3).map { Self.notification($0, receiver: "chat") }, at: Self.start)
        #expect(try await outbox.drainOnce(at: Self.start).delivered.count == 1)
        #expect(try await store.nextDue() == Self.start.addingTimeInterval(1))
        #expect(try await outbox.drainOnce(at: Self.start.addingTimeInterval(1)).delivered.count == 1)
        #expect(try await outbox.drainOnce(at: Self.start.addingTimeInterval(2)).delivered.count == 1)
    }

    @Test func aSenderStoppedMidDrainLosesNothingAfterRestart() async throws {
        let stub = try await HTTPStub.start()
        let path = Self.temporaryDatabase()
        do {
            let store = try SQLiteStore(path: path)
            try await store.enqueue(
                (1...6).map { Self.notification($0) },
                at: Self.start,
                checkpoint: Array("engine-state-1".utf8)
            )
            // The receiver hangs; the drain is cancelled while the first delivery is in flight.
            let slow = OutboxSender(
                store: store,
                receivers: [
                    "hook": WebhookSender(
                        transport: transport,
                        settings: .init(url: stub.url("/slow"), timeout: .seconds(30))
                    )
                ]
            )
            let drain = Task { try await slow.drainOnce(at: Self.start) }
            try await Task.sleep(for: .milliseconds(300))
            drain.cancel()
            _ = try? await drain.value
        }
        // A new process opens the same database: the checkpoint and every notification are there.
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.checkpoint() == Array("engine-state-1".utf8))
        let report = try await sender(reopened, ["hook": stub.url("/status/200")]).drainOnce(
            at: Self.start.addingTimeInterval(600)
        )
        #expect(report.delivered.count == 6)
        #expect(try await reopened.outboxDepth(at: Self.start).count == 0)
    }

    @Test func backoffGrowsExponentiallyWithBoundedJitter() {
        let backoff = OutboxSender.Backoff(base: .seconds(2), cap: .seconds(300), jitter: 0.2)
        #expect(backoff.delay(afterAttempts: 1, draw: 0.5) == .seconds(2))
        #expect(backoff.delay(afterAttempts: 4, draw: 0.5) == .seconds(16))
        #expect(backoff.delay(afterAttempts: 30, draw: 0.5) == .seconds(300))
        #expect(backoff.delay(afterAttempts: 3, draw: 0) == .milliseconds(6400))
        #expect(backoff.delay(afterAttempts: 3, draw: 0.999_999) >= .milliseconds(9599))
    }
}

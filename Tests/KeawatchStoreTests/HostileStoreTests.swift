import Foundation
import GRDB
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import KeawatchTestSupport
import Synchronization
import Testing

@testable import KeawatchStore

/// What is read back from SQLite is input too: a damaged row is reported once and set aside,
/// never fatal, and never blocks what is behind it.
@Suite struct HostileStoreTests {
    @Test func aDamagedOutboxEntryIsDeadLetteredAndTheNextOneIsDelivered() async throws {
        let stub = try await HTTPStub.start()
        let damage = Mutex<[String]>([])
        let store = try SQLiteStore(path: nil) { report in damage.withLock { $0.append(report) } }
        try await store.database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox (receiver, idempotency_key, payload, created_at, next_attempt_at)
                    VALUES ('hook', 'broken', ?, 0, 0)
                    """,
                arguments: [Data(#"{"items": [{"status": "firing"}]}"#.utf8)]
            )
        }
        try await store.enqueue([OutboxTests.notification(1)], at: OutboxTests.start)
        let sender = OutboxTests().sender(store, ["hook": stub.url("/status/200")])
        var delivered: [Int64] = []
        for _ in 0..<2 { delivered += try await sender.drainOnce(at: OutboxTests.start).delivered }
        #expect(delivered.count == 1)
        let dead = try await store.deadLetters()
        #expect(dead.map(\.receiver) == ["hook"])
        #expect(dead.first?.reason.hasPrefix("the stored notification no longer decodes") == true)
        #expect(damage.withLock { $0.count } == 1)
    }

    @Test func receiversRepliesAreScrubbedOfSecretsBeforeTheyAreKept() async throws {
        let store = try SQLiteStore(path: nil)
        try await store.enqueue([OutboxTests.notification(1, receiver: "echo")], at: OutboxTests.start)
        let token = "s3cret-routing-key"
        let sender = OutboxSender(
            store: store,
            receivers: ["echo": EchoingReceiver(secret: token)],
            scrubber: SecretScrubber(secrets: [Secret(token)])
        )
        let report = try await sender.drainOnce(at: OutboxTests.start)
        let dead = try await store.deadLetters()
        #expect(report.reasons.values.allSatisfy { !$0.contains(token) })
        #expect(dead.first?.reason.contains(token) == false)
        #expect(dead.first?.reason.contains("<redacted>") == true)
        #expect((dead.first?.reason.utf8.count ?? 0) < 400)
    }

    /// A receiver whose error quotes the request back, credential and all, at length.
    struct EchoingReceiver: Receiver {
        var secret: String
        func deliver(_ notification: AlertNotification) async -> DeliveryOutcome {
            .permanent("HTTP 400: bad key \(secret) " + String(repeating: "x", count: 3_000_000))
        }
    }
}

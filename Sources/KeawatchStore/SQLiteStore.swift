import GRDB
import KeawatchModel
package import KeawatchRouting

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// keawatch's state on disk: one SQLite database (WAL) holding the outbox, dead letters, and the
/// engine's checkpoint. Notifications are enqueued in the same transaction as the checkpoint of the
/// alert states that produced them, so a crash can lose neither without the other.
package final class SQLiteStore: OutboxStore {
    let database: DatabaseQueue
    /// Told once about every row that no longer decodes (it is then removed or dead-lettered, so
    /// it is never fatal and never reported twice).
    package let reportDamage: @Sendable (String) -> Void

    /// Opens (creating if needed) the database at `path` and migrates it; `nil` for in-memory.
    package init(path: String?, reportDamage: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.reportDamage = reportDamage
        if let path {
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
        } else {
            database = try DatabaseQueue()
        }
        try Self.migrator.migrate(database)
    }

    /// Queues notifications (a repeated idempotency key is ignored) and stores the engine
    /// checkpoint, in one transaction. Returns the ids of the new entries.
    @discardableResult
    package func enqueue(
        _ notifications: [AlertNotification],
        at now: Date,
        checkpoint: [UInt8]? = nil,
        stateChanges: [StateChange] = []
    ) async throws -> [Int64] {
        // Serialized before the write lock is taken: the transaction only stores bytes.
        let rows = notifications.map { ($0.receiver, $0.idempotencyKey, Data($0.storedJSON)) }
        let checkpointData = checkpoint.map { Data($0) }
        return try await database.write { db in
            var ids: [Int64] = []
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO outbox (receiver, idempotency_key, payload, created_at, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?)
                    """
            )
            for (receiver, key, payload) in rows {
                try insert.execute(arguments: [
                    receiver, key, payload, now.timeIntervalSince1970, now.timeIntervalSince1970,
                ])
                if db.changesCount > 0 { ids.append(db.lastInsertedRowID) }
            }
            if let checkpointData {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO engine_checkpoint (id, taken_at, data) VALUES (1, ?, ?)",
                    arguments: [now.timeIntervalSince1970, checkpointData]
                )
            }
            if !stateChanges.isEmpty {
                let insertChange = try db.cachedStatement(
                    sql: "INSERT INTO state_history (target, at, summary) VALUES (?, ?, ?)"
                )
                for change in stateChanges {
                    try insertChange.execute(arguments: [
                        change.target, change.at.timeIntervalSince1970, change.summary,
                    ])
                }
                try db.execute(
                    sql: "DELETE FROM state_history WHERE at < ?",
                    arguments: [now.timeIntervalSince1970 - Self.stateHistoryRetention.seconds]
                )
            }
            return ids
        }
    }

    package func dueHeads(at now: Date) async throws -> [OutboxEntry] {
        let (entries, damaged) = try await database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, payload, attempts, next_attempt_at FROM outbox
                    WHERE id IN (SELECT MIN(id) FROM outbox WHERE state = 'pending' GROUP BY receiver)
                      AND next_attempt_at <= ?
                    ORDER BY id
                    """,
                arguments: [now.timeIntervalSince1970]
            )
            var entries: [OutboxEntry] = []
            var damaged: [(id: Int64, reason: String)] = []
            for row in rows {
                guard let id: Int64 = row["id"] else { continue }
                let payload: Data? = row["payload"]
                let attempts: Int? = row["attempts"]
                let next: Double? = row["next_attempt_at"]
                do {
                    guard let payload, let attempts, attempts >= 0, let next, next.isFinite else {
                        throw JSONShapeError(path: .root, expected: "a payload, attempts and next_attempt_at")
                    }
                    entries.append(
                        OutboxEntry(
                            id: id,
                            notification: try AlertNotification(storedJSON: Array(payload)),
                            attempts: attempts,
                            nextAttemptAt: Date(timeIntervalSince1970: next)
                        )
                    )
                } catch {
                    damaged.append((id, "\(error)"))
                }
            }
            return (entries, damaged)
        }
        // A damaged entry would block its receiver's queue for good: it becomes a dead letter.
        for entry in damaged {
            let reason = "the stored notification no longer decodes (\(entry.reason))"
            try await deadLetter(entry.id, at: now, reason: reason)
            reportDamage("outbox entry \(entry.id): \(reason)")
        }
        return entries
    }

    package func markDelivered(_ id: Int64, at now: Date, detail: String) async throws {
        try await close(id, as: "delivered", at: now, result: detail)
    }

    package func scheduleRetry(_ id: Int64, at next: Date, error: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1, last_result = ? WHERE id = ?",
                arguments: [next.timeIntervalSince1970, error, id]
            )
        }
    }

    package func deadLetter(_ id: Int64, at now: Date, reason: String) async throws {
        try await close(id, as: "dead", at: now, result: reason)
    }

    /// Ends an entry's life in the queue (delivered or dead), keeping it for inspection.
    private func close(_ id: Int64, as state: String, at now: Date, result: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = ?, delivered_at = ?, attempts = attempts + 1, last_result = ?
                    WHERE id = ?
                    """,
                arguments: [state, now.timeIntervalSince1970, result, id]
            )
        }
    }

    package func nextDue() async throws -> Date? {
        try await database.read { db in
            // Only each receiver's head can go next: entries behind it wait for it (order).
            try Double.fetchOne(
                db,
                sql: """
                    SELECT MIN(next_attempt_at) FROM outbox
                    WHERE id IN (SELECT MIN(id) FROM outbox WHERE state = 'pending' GROUP BY receiver)
                    """
            ).map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Pending entries, and the age of the oldest (for metrics and the status page).
    package func outboxDepth(at now: Date) async throws -> (count: Int, oldest: Duration?) {
        try await database.read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE state = 'pending'"
            )
            let count: Int = row?["n"] ?? 0
            let oldest: Double? = row?["oldest"]
            return (count, oldest.map { .milliseconds(Int64(saturating: (now.timeIntervalSince1970 - $0) * 1000)) })
        }
    }

    /// Dead-lettered notifications with the reason, kept for inspection.
    package func deadLetters() async throws -> [(id: Int64, receiver: String, reason: String)] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, receiver, last_result FROM outbox WHERE state = 'dead' ORDER BY id")
                .map {
                    (id: $0["id"] ?? 0, receiver: $0["receiver"] ?? "", reason: $0["last_result"] ?? "")
                }
        }
    }

    /// The last engine checkpoint stored with `enqueue`.
    package func checkpoint() async throws -> [UInt8]? {
        try await database.read { db in
            try Data.fetchOne(db, sql: "SELECT data FROM engine_checkpoint WHERE id = 1").map(Array.init)
        }
    }
}

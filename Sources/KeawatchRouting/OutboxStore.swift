#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// One queued notification.
package struct OutboxEntry: Sendable, Equatable {
    package var id: Int64
    package var notification: AlertNotification
    package var attempts: Int
    package var nextAttemptAt: Date

    package init(id: Int64, notification: AlertNotification, attempts: Int, nextAttemptAt: Date) {
        self.id = id
        self.notification = notification
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}

/// The durable queue the sender drains (`SQLiteStore` is the real one). A notification leaves it
/// only when delivered or dead-lettered.
package protocol OutboxStore: Sendable {
    /// Per receiver, the oldest pending entry, if it is due at `now` (order is kept per receiver).
    func dueHeads(at now: Date) async throws -> [OutboxEntry]
    func markDelivered(_ id: Int64, at now: Date, detail: String) async throws
    func scheduleRetry(_ id: Int64, at next: Date, error: String) async throws
    func deadLetter(_ id: Int64, at now: Date, reason: String) async throws
    /// When the next receiver head falls due (nil when nothing is pending).
    func nextDue() async throws -> Date?
}

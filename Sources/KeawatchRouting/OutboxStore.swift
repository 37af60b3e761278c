#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One queued notification.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var notification: AlertNotification
    public var attempts: Int
    public var nextAttemptAt: Date

    public init(id: Int64, notification: AlertNotification, attempts: Int, nextAttemptAt: Date) {
        self.id = id
        self.notification = notification
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}

/// The durable queue the sender drains (`SQLiteStore` is the real one). A notification leaves it
/// only when delivered or dead-lettered.
public protocol OutboxStore: Sendable {
    /// Per receiver, the oldest pending entry, if it is due at `now` (order is kept per receiver).
    func dueHeads(at now: Date) async throws -> [OutboxEntry]
    func markDelivered(_ id: Int64, at now: Date, detail: String) async throws
    func scheduleRetry(_ id: Int64, at next: Date, error: String) async throws
    func deadLetter(_ id: Int64, at now: Date, reason: String) async throws
    /// When the next receiver head falls due (nil when nothing is pending).
    func nextDue() async throws -> Date?
}

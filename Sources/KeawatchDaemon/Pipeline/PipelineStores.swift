import KeawatchNotify
import KeawatchRouting
import KeawatchStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the evaluation keeps on disk: the notifications it queues in one transaction with the
/// engine checkpoint and state history, and the silences. `SQLiteStore` is the real one.
protocol EvaluationStore: Sendable {
    func checkpoint() async throws -> [UInt8]?
    @discardableResult
    func enqueue(
        _ notifications: [AlertNotification],
        at now: Date,
        checkpoint: [UInt8]?,
        stateChanges: [StateChange]
    ) async throws -> [Int64]
    func silences(at now: Date) async throws -> [Silence]
    func save(_ silence: Silence) async throws
    func expireSilence(_ id: String, at now: Date) async throws -> Bool
    /// Told about a stored row (or checkpoint) that no longer decodes.
    var reportDamage: @Sendable (String) -> Void { get }
}

/// What delivery reads besides the queue it drains: its depth and the dead letters.
protocol DeliveryStore: OutboxStore {
    func outboxDepth(at now: Date) async throws -> (count: Int, oldest: Duration?)
    func deadLetters() async throws -> [(id: Int64, receiver: String, reason: String)]
}

extension SQLiteStore: EvaluationStore, DeliveryStore {}

import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The delivery room: owns the outbox sender and what the agent knows of its receivers (each
/// one's last error, the oldest notification waiting). Each round returns its report.
actor Delivery {
    private let sender: OutboxSender
    private let store: any DeliveryStore
    private let metrics: AgentMetrics
    private var lastErrors: [String: String] = [:]
    /// How long the oldest pending notification has waited, as of the last round.
    private(set) var oldestQueued: Duration?

    init(
        config: KeawatchConfig,
        store: any DeliveryStore,
        transport: any Transport,
        metrics: AgentMetrics,
        backoff: OutboxSender.Backoff = .init()
    ) {
        let (receivers, intervals) = Self.receivers(of: config, transport: transport)
        sender = OutboxSender(
            store: store,
            receivers: receivers,
            backoff: backoff,
            minimumInterval: intervals,
            scrubber: config.secretScrubber
        )
        self.store = store
        self.metrics = metrics
    }

    private static func receivers(
        of config: KeawatchConfig,
        transport: any Transport
    ) -> ([String: any Receiver], [String: Duration]) {
        var receivers: [String: any Receiver] = [:]
        var intervals: [String: Duration] = [:]
        for receiver in config.receivers {
            receivers[receiver.name] = receiver.makeReceiver(transport: transport)
            if let interval = receiver.minimumInterval { intervals[receiver.name] = interval }
        }
        return (receivers, intervals)
    }

    /// Sends what is due at `now`.
    func deliver(at now: Date) async throws -> OutboxSender.Report {
        let report = try await sender.drainOnce(at: now)
        for (id, reason) in report.reasons { lastErrors[report.receivers[id] ?? ""] = reason }
        for id in report.delivered { lastErrors[report.receivers[id] ?? ""] = nil }
        let depth = try await store.outboxDepth(at: now)
        oldestQueued = depth.oldest
        metrics.recordDelivery(report)
        metrics.recordOutbox(depth: depth.count, oldest: depth.oldest, deadLetters: try await store.deadLetters().count)
        return report
    }

    /// When the sender should next look (a retry falls due).
    func nextDue() async throws -> Date? {
        try await store.nextDue()
    }

    /// A reload: the new receivers take over; queued entries keep their places.
    func reload(config: KeawatchConfig, transport: any Transport) async {
        let (receivers, intervals) = Self.receivers(of: config, transport: transport)
        await sender.replaceReceivers(receivers, minimumInterval: intervals, scrubber: config.secretScrubber)
    }

    /// The delivery's part of the status document, as of `now`.
    func snapshot(at now: Date) async throws -> DeliverySnapshot {
        DeliverySnapshot(
            lastErrors: lastErrors,
            depth: try await store.outboxDepth(at: now),
            deadLetters: try await store.deadLetters()
        )
    }
}

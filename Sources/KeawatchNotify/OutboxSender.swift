package import KeawatchCurl
import KeawatchModel
package import KeawatchRouting

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Drains the outbox: at-least-once, in order per receiver, exponential backoff with jitter,
/// `Retry-After` honoured, permanent failures dead-lettered, a minimum interval per receiver.
/// `drainOnce(at:)` does one round at an instant the caller gives (the service loop sleeps on its
/// clock between rounds; tests drive simulated time).
package actor OutboxSender {
    package struct Backoff: Sendable {
        package var base: Duration
        package var cap: Duration
        /// ± this fraction of the delay, drawn by `random`.
        package var jitter: Double

        package init(base: Duration = .seconds(2), cap: Duration = .seconds(300), jitter: Double = 0.2) {
            self.base = base
            self.cap = cap
            self.jitter = jitter
        }

        /// The delay before attempt `attempts + 1`, given a uniform draw in 0..<1.
        package func delay(afterAttempts attempts: Int, draw: Double) -> Duration {
            let exponent = Double(min(max(attempts - 1, 0), 30))
            let raw = min(base.seconds * pow2(exponent), cap.seconds)
            let factor = 1 + jitter * (draw * 2 - 1)
            return .milliseconds(Int64(saturating: raw * factor * 1000))
        }

        private func pow2(_ exponent: Double) -> Double {
            var value = 1.0
            for _ in 0..<Int(exponent) { value *= 2 }
            return value
        }
    }

    /// What one round did.
    package struct Report: Sendable, Equatable {
        package var delivered: [Int64] = []
        package var retried: [Int64] = []
        package var deadLettered: [Int64] = []
        /// Each entry's receiver and, for retries and dead letters, why.
        package var receivers: [Int64: String] = [:]
        package var reasons: [Int64: String] = [:]

        package var isEmpty: Bool { delivered.isEmpty && retried.isEmpty && deadLettered.isEmpty }
    }

    private let store: any OutboxStore
    private var receivers: [String: any Receiver]
    private let backoff: Backoff
    private var minimumInterval: [String: Duration]
    private let random: @Sendable () -> Double
    private var lastSent: [String: Date] = [:]
    /// Receivers' replies are outside text: scrubbed of every secret before they are kept.
    private var scrubber: SecretScrubber

    package init(
        store: any OutboxStore,
        receivers: [String: any Receiver],
        backoff: Backoff = Backoff(),
        minimumInterval: [String: Duration] = [:],
        scrubber: SecretScrubber = SecretScrubber(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.scrubber = scrubber
        self.store = store
        self.receivers = receivers
        self.backoff = backoff
        self.minimumInterval = minimumInterval
        self.random = random
    }

    /// Swaps the receivers (configuration reload); queued entries keep their places.
    package func replaceReceivers(
        _ receivers: [String: any Receiver],
        minimumInterval: [String: Duration],
        scrubber: SecretScrubber = SecretScrubber()
    ) {
        self.receivers = receivers
        self.minimumInterval = minimumInterval
        self.scrubber = scrubber
    }

    /// Delivers everything due at `now`, receiver by receiver in order, receivers concurrently.
    package func drainOnce(at now: Date) async throws -> Report {
        var report = Report()
        var blocked: Set<String> = []
        while true {
            let heads = try await store.dueHeads(at: now).filter { !blocked.contains($0.notification.receiver) }
            if heads.isEmpty { return report }
            let outcomes = await withTaskGroup(of: (OutboxEntry, DeliveryOutcome?).self) { group in
                for entry in heads {
                    let receiverName = entry.notification.receiver
                    if let interval = minimumInterval[receiverName], let last = lastSent[receiverName],
                        now.timeIntervalSince(last) < interval.seconds
                    {
                        group.addTask { (entry, nil) }  // rate-limited: later
                        continue
                    }
                    let receiver = receivers[receiverName]
                    group.addTask {
                        guard let receiver else {
                            return (entry, .permanent("no receiver named \"\(receiverName)\" is configured"))
                        }
                        return (entry, await receiver.deliver(entry.notification))
                    }
                }
                var results: [(OutboxEntry, DeliveryOutcome?)] = []
                for await result in group { results.append(result) }
                return results
            }
            for (entry, outcome) in outcomes.sorted(by: { $0.0.id < $1.0.id }) {
                let receiver = entry.notification.receiver
                guard let outcome else {
                    let next = lastSent[receiver]!.addingTimeInterval(minimumInterval[receiver]!.seconds)
                    try await store.scheduleRetry(entry.id, at: next, error: "rate limited")
                    blocked.insert(receiver)
                    continue
                }
                lastSent[receiver] = now
                report.receivers[entry.id] = receiver
                switch outcome.scrubbed(by: scrubber) {
                case .delivered(let detail):
                    try await store.markDelivered(entry.id, at: now, detail: detail)
                    report.delivered.append(entry.id)
                case .retry(let reason, let after):
                    let delay = max(after ?? .zero, backoff.delay(afterAttempts: entry.attempts + 1, draw: random()))
                    try await store.scheduleRetry(entry.id, at: now.addingTimeInterval(delay.seconds), error: reason)
                    report.retried.append(entry.id)
                    report.reasons[entry.id] = reason
                    blocked.insert(receiver)  // keep order: nothing behind it goes first
                case .permanent(let reason):
                    try await store.deadLetter(entry.id, at: now, reason: reason)
                    report.deadLettered.append(entry.id)
                    report.reasons[entry.id] = reason
                }
            }
        }
    }
}

extension DeliveryOutcome {
    func scrubbed(by scrubber: SecretScrubber) -> DeliveryOutcome {
        switch self {
        case .delivered(let detail): .delivered(scrubber.scrub(detail))
        case .retry(let reason, let after): .retry(scrubber.scrub(reason), after: after)
        case .permanent(let reason): .permanent(scrubber.scrub(reason))
        }
    }
}

import KeawatchModel
import KeawatchPolling
import KeawatchReview
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `config-get` from every target: soon after start, every `config_interval`, and at once when a
/// server restarted or reloaded (`refresh`). Each answer is redacted before it leaves this
/// service (Kea does not redact passwords), and never logged. An answer byte for byte the same as
/// the target's last one is not parsed, redacted or delivered again: the engine keeps what it has.
final class ConfigPollers: Service, Sendable {
    private let client: KeaClient
    private let inbox: ObservationInbox
    private let logger: Logger
    private let clock: any AgentClock
    /// A uniform draw in 0..<1: each poller's offset.
    private let random: @Sendable () -> Double
    private struct Plan: Sendable {
        var targets: [KeaTarget]
        var interval: Duration?
    }
    private let plans: PlanUpdates<Plan>
    private let refreshes: AsyncStream<String>
    private let refreshContinuation: AsyncStream<String>.Continuation
    /// A `config-get` answer may be tens of MiB on a big server.
    static let responseLimit = 64 << 20
    /// A hash of each target's last delivered answer (in memory only: the answer holds secrets).
    private let lastAnswers = Mutex<[String: Int]>([:])

    init(
        client: KeaClient,
        inbox: ObservationInbox,
        targets: [KeaTarget],
        interval: Duration?,
        clock: any AgentClock = ContinuousClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger
    ) {
        self.client = client
        self.inbox = inbox
        self.clock = clock
        self.random = random
        self.logger = logger
        plans = PlanUpdates(Plan(targets: targets, interval: interval))
        (refreshes, refreshContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    func update(_ targets: [KeaTarget], interval: Duration?) {
        plans.update(Plan(targets: targets, interval: interval))
    }

    /// Fetch this target's configuration now (it restarted or reloaded).
    func refresh(_ target: String) {
        refreshContinuation.yield(target)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await plans.follow { plan in await self.poll(plan.targets, every: plan.interval) }
        } onGracefulShutdown: {
            self.plans.finish()
            self.refreshContinuation.finish()
        }
    }

    private func poll(_ targets: [KeaTarget], every interval: Duration?) async {
        guard let interval else { return }
        let byName = Dictionary(targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        await withTaskGroup(of: Void.self) { group in
            for target in targets {
                group.addTask { await self.pollForever(target, every: interval, on: self.clock) }
            }
            group.addTask {
                for await name in self.refreshes {
                    guard !Task.isCancelled else { return }
                    if let target = byName[name] { await self.fetch(target) }
                }
            }
        }
    }

    private func pollForever(_ target: KeaTarget, every interval: Duration, on clock: some AgentClock) async {
        // The first soon after start (within 10 s), then every interval, skipping missed slots.
        var schedule = PollSchedule(start: clock.now, first: .seconds(10) * random(), interval: interval)
        while !Task.isCancelled {
            guard (try? await clock.sleep(until: schedule.next, tolerance: nil)) != nil else { return }
            await fetch(target)
            schedule.advance(after: clock.now)
        }
    }

    private func fetch(_ target: KeaTarget) async {
        var big = target
        big.maxResponseBytes = max(target.maxResponseBytes, Self.responseLimit)
        let outcome: ConfigurationObservation.Outcome
        switch await client.sendUnparsed(.configGet, to: big) {
        case .success(let bytes):
            let hash = bytes.hashValue
            if lastAnswers.withLock({ $0[target.name] == hash }) { return }  // unchanged: nothing new to say
            // Not JSON: never the parser's excerpt of the body, it is the unredacted configuration.
            let parsed = KeaClient.parse(bytes).mapError { failure in
                PollFailure(kind: failure.kind, message: "config-get gave no usable configuration")
            }
            switch parsed.flatMap(KeaConfigDocument.decode(response:)) {
            case .success(let document):
                outcome = .configuration(document)
                lastAnswers.withLock { $0[target.name] = hash }
            case .failure(let failure):
                outcome = .failure(failure)
            }
        case .failure(let failure):
            // Never the body's excerpt: it is the unredacted configuration.
            let safe =
                failure.kind == .invalidResponse || failure.kind == .httpStatus
                ? PollFailure(kind: failure.kind, message: "config-get gave no usable configuration") : failure
            outcome = .failure(safe)
        }
        if case .failure(let failure) = outcome {
            logger.info("config-get failed", metadata: ["kea.server": "\(target.name)", "poll.error": "\(failure)"])
        }
        await inbox.deliver(ConfigurationObservation(target: target.name, at: clock.wallTime, outcome: outcome))
    }
}

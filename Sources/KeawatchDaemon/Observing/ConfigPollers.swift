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
    private let plans: AsyncStream<([KeaTarget], Duration?)>
    private let continuation: AsyncStream<([KeaTarget], Duration?)>.Continuation
    private let refreshes: AsyncStream<String>
    private let refreshContinuation: AsyncStream<String>.Continuation
    /// A `config-get` answer may be tens of MiB on a big server.
    static let responseLimit = 64 << 20
    /// A hash of each target's last delivered answer (in memory only: the answer holds secrets).
    private let lastAnswers = Mutex<[String: Int]>([:])

    init(client: KeaClient, inbox: ObservationInbox, targets: [KeaTarget], interval: Duration?, logger: Logger) {
        self.client = client
        self.inbox = inbox
        self.logger = logger
        (plans, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        (refreshes, refreshContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.yield((targets, interval))
    }

    func update(_ targets: [KeaTarget], interval: Duration?) {
        continuation.yield((targets, interval))
    }

    /// Fetch this target's configuration now (it restarted or reloaded).
    func refresh(_ target: String) {
        refreshContinuation.yield(target)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            var running: Task<Void, Never>?
            for await (targets, interval) in plans {
                running?.cancel()
                await running?.value
                running = Task { await self.poll(targets, every: interval) }
            }
            running?.cancel()
            await running?.value
        } onGracefulShutdown: {
            self.continuation.finish()
            self.refreshContinuation.finish()
        }
    }

    private func poll(_ targets: [KeaTarget], every interval: Duration?) async {
        guard let interval else { return }
        let byName = Dictionary(targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        await withTaskGroup(of: Void.self) { group in
            for target in targets {
                group.addTask { await self.pollForever(target, every: interval) }
            }
            group.addTask {
                for await name in self.refreshes {
                    guard !Task.isCancelled else { return }
                    if let target = byName[name] { await self.fetch(target) }
                }
            }
        }
    }

    private func pollForever(_ target: KeaTarget, every interval: Duration) async {
        let clock = ContinuousClock()
        var next = clock.now + .seconds(10) * Double.random(in: 0..<1)
        while !Task.isCancelled {
            guard (try? await Task.sleep(until: next, clock: clock)) != nil else { return }
            await fetch(target)
            next = next + interval
            while next < clock.now { next = next + interval }
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
        await inbox.deliver(ConfigurationObservation(target: target.name, at: Date(), outcome: outcome))
    }
}

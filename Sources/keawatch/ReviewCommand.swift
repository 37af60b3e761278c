import ArgumentParser
import KeawatchCurl
import KeawatchDaemon
import KeawatchEngine
import KeawatchModel
import KeawatchPolling
import KeawatchReview

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `keawatch review`: one look at every configured pair beyond its HA state. Asks each server for
/// `status-get` (to learn the pairs and who is operational), `statistic-get-all` and `config-get`
/// (redacted before anything else sees it), then prints per pair: utilization per subnet, the
/// configuration differences between the partners as JSON paths with both values, conflicting
/// reservations and HA settings against ISC's advice.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review every configured pair: utilization, configuration drift, reservations, HA settings.",
        discussion:
            "Exit 0 clean, 1 findings, 65 when a server could not be read (the review is incomplete), 78 invalid configuration."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    /// A `config-get` answer may be tens of MiB on a big server.
    static let configLimit = 64 << 20

    func run() async throws {
        _ = bootstrapLogging(level: options.level)
        let config = try loadConfigOrExit(options.config)
        let client = KeaClient(transport: CurlTransport(threads: 2))
        let answers = await withTaskGroup(of: (Int, Answers).self) { group in
            for (index, target) in config.targets.enumerated() {
                group.addTask { (index, await Self.ask(target, client: client)) }
            }
            var answers = [Answers?](repeating: nil, count: config.targets.count)
            for await (index, answer) in group { answers[index] = answer }
            return answers.compactMap { $0 }
        }
        let reviews = Self.review(answers, pairs: config.pairs, services: config.targetServices)
        if json {
            let document = JSONValue.object(["pairs": .array(reviews.map(\.json))])
            FileOutput.standardOutput.write(document.serialized + "\n")
        } else {
            FileOutput.standardOutput.write(reviews.map(\.text).joined(separator: "\n\n") + "\n")
        }
        if reviews.contains(where: { $0.findings.contains { $0.kind == .unreadable } }) {
            throw ExitCode(65)
        }
        if reviews.contains(where: { !$0.findings.isEmpty }) {
            throw ExitCode.failure
        }
    }

    struct Answers: Sendable {
        var status: Observation
        var statistics: StatisticsObservation
        var configuration: Result<KeaConfigDocument, PollFailure>
        /// Declined addresses by subnet (only asked when the statistics count some).
        var declined: [Int: [String]]?
    }

    static func ask(_ target: KeaTarget, client: KeaClient) async -> Answers {
        async let status = client.poll(target)
        async let statistics = client.pollStatistics(target)
        var big = target
        big.maxResponseBytes = max(target.maxResponseBytes, configLimit)
        let configuration: Result<KeaConfigDocument, PollFailure> =
            switch await client.send(.configGet, to: big) {
            case .success(let (body, _)): KeaConfigDocument.decode(response: body)
            // Never echo the body: it is the unredacted configuration.
            case .failure(let failure) where failure.kind == .invalidResponse || failure.kind == .httpStatus:
                .failure(PollFailure(kind: failure.kind, message: "config-get gave no usable configuration"))
            case .failure(let failure): .failure(failure)
            }
        var statisticsObservation = await statistics.observation
        var declined: [Int: [String]]?
        // Split pools (class-restricted): Kea 2.2 has no per-pool counters, so their leases are counted.
        let layout = (try? configuration.get()).map(PoolLayout.init) ?? PoolLayout()
        var split: [Int] = []
        if case .statistics(var counted) = statisticsObservation.outcome {
            layout.label(&counted)
            split = layout.uncounted(in: counted)
            statisticsObservation.outcome = .statistics(counted)
        }
        let declining =
            statisticsObservation.statistics?.subnets.filter { ($0.declined ?? 0) > 0 }.map(\.subnetID) ?? []
        let asked = Array(Set(declining + split)).sorted()
        if !asked.isEmpty {
            let v6 = (try? configuration.get())?.section == "Dhcp6"
            let answer = await client.send(
                v6 ? .lease6GetAll : .lease4GetAll,
                to: big,
                arguments: "{\"subnets\":[\(asked.map(String.init).joined(separator: ","))]}"
            )
            if !declining.isEmpty {
                declined = (try? answer.get()).flatMap { try? DeclinedLeases.decode(response: $0.0).get() }
            }
            if !split.isEmpty, case .statistics(var counted) = statisticsObservation.outcome,
                let leases = (try? answer.get()).flatMap({ try? PoolLayout.leases(response: $0.0).get() })
            {
                for index in counted.subnets.indices where split.contains(counted.subnets[index].subnetID) {
                    let id = counted.subnets[index].subnetID
                    counted.subnets[index].pools = layout.counts(subnet: id, leases: leases[id] ?? [])
                }
                statisticsObservation.outcome = .statistics(counted)
            }
        }
        return Answers(
            status: await status.observation,
            statistics: statisticsObservation,
            configuration: configuration,
            declined: declined
        )
    }

    /// Pairs as the engine learns them (or as declared), each reviewed from its servers' answers.
    static func review(
        _ answers: [Answers],
        pairs declared: [DeclaredPair],
        services: [String: String] = [:]
    ) -> [PairReview] {
        let engine = Engine(rules: [], declaredPairs: declared, services: services)
        var state = engine.makeState()
        let now = answers.map(\.status.at).max() ?? .distantPast
        _ = engine.evaluate(
            &state,
            observations: answers.map(\.status),
            statistics: answers.map(\.statistics),
            at: now
        )
        let byName = Dictionary(answers.map { ($0.status.target, $0) }, uniquingKeysWith: { first, _ in first })
        func server(_ name: String) -> PairReview.Server {
            guard let answer = byName[name] else { return PairReview.Server(name: name, configuration: nil) }
            var problems: [String] = []
            if let failure = answer.status.failure { problems.append("status-get failed: \(failure)") }
            if let failure = answer.statistics.failure { problems.append("statistic-get-all failed: \(failure)") }
            if let bad = answer.statistics.statistics?.problems, !bad.isEmpty {
                problems.append("statistic-get-all has unusable counters: \(bad.prefix(3).joined(separator: "; "))")
            }
            let configuration: KeaConfigDocument?
            switch answer.configuration {
            case .success(let document): configuration = document
            case .failure(let failure):
                configuration = nil
                problems.append("config-get failed: \(failure)")
            }
            return PairReview.Server(name: name, configuration: configuration, problems: problems)
        }
        var reviews: [PairReview] = []
        var covered: Set<String> = []
        for pair in state.knownPairs {
            covered.formUnion(pair.targets)
            let view = state.pools.first { $0.owner == pair.name }
            reviews.append(
                PairReview(
                    name: pair.name,
                    servers: pair.targets.map(server),
                    source: view.map { ($0.server, $0.source.rawValue) },
                    subnets: view?.subnets ?? [],
                    declined: view.flatMap { byName[$0.server]?.declined }
                )
            )
        }
        for answer in answers where !covered.contains(answer.status.target) {
            let name = answer.status.target
            let view = state.pools.first { $0.owner == name }
            reviews.append(
                PairReview(
                    name: name,
                    servers: [server(name)],
                    source: view.map { ($0.server, $0.source.rawValue) },
                    subnets: view?.subnets ?? [],
                    declined: answer.declined
                )
            )
        }
        return reviews
    }
}

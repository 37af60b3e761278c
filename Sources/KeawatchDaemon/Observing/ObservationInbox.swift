import KeawatchModel
import KeawatchPolling
import KeawatchReview

/// Where the per-target pollers leave their results for the evaluation service; each delivery
/// rings its doorbell.
actor ObservationInbox {
    private var results: [PollResult] = []
    private var statistics: [StatisticsObservation] = []
    private var configurations: [ConfigurationObservation] = []
    /// Each target's class-restricted pools, from its latest configuration: the statistics
    /// pollers count those pools' leases when Kea does not.
    private var poolLayouts: [String: PoolLayout] = [:]
    nonisolated let doorbell = Doorbell()

    func deliver(_ result: PollResult) {
        results.append(result)
        doorbell.ring()
    }

    func deliver(_ observation: StatisticsObservation) {
        statistics.append(observation)
        doorbell.ring()
    }

    func deliver(_ observation: ConfigurationObservation) {
        if let document = observation.configuration { poolLayouts[observation.target] = PoolLayout(document) }
        configurations.append(observation)
        doorbell.ring()
    }

    func poolLayout(of target: String) -> PoolLayout {
        poolLayouts[target] ?? PoolLayout()
    }

    var isEmpty: Bool { results.isEmpty && statistics.isEmpty && configurations.isEmpty }

    func takeAllConfigurations() -> [ConfigurationObservation] {
        defer { configurations.removeAll(keepingCapacity: true) }
        return configurations.sorted { $0.at < $1.at }
    }

    func takeAllStatistics() -> [StatisticsObservation] {
        defer { statistics.removeAll(keepingCapacity: true) }
        return statistics.sorted { $0.at < $1.at }
    }

    func takeAll() -> [PollResult] {
        defer { results.removeAll(keepingCapacity: true) }
        return results.sorted { $0.observation.at < $1.observation.at }
    }
}

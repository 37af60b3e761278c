import KeawatchModel
import KeawatchPolling
import KeawatchReview

/// Where the per-target pollers leave their results for the evaluation service; each delivery
/// rings its doorbell.
actor ObservationInbox {
    private var results: [PollResult] = []
    private var statistics: [StatisticsObservation] = []
    private var configurations: [ConfigurationObservation] = []
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
        configurations.append(observation)
        doorbell.ring()
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

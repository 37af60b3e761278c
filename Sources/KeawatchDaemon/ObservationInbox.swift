import KeawatchModel
import KeawatchPolling

/// Where the per-target pollers leave their results for the evaluation service.
actor ObservationInbox {
    private var results: [PollResult] = []
    private var statistics: [StatisticsObservation] = []
    let doorbell = Doorbell()

    func deliver(_ result: PollResult) async {
        results.append(result)
        await doorbell.ring()
    }

    func deliver(_ observation: StatisticsObservation) async {
        statistics.append(observation)
        await doorbell.ring()
    }

    var isEmpty: Bool { results.isEmpty && statistics.isEmpty }

    func takeAllStatistics() -> [StatisticsObservation] {
        defer { statistics.removeAll(keepingCapacity: true) }
        return statistics.sorted { $0.at < $1.at }
    }

    func takeAll() -> [PollResult] {
        defer { results.removeAll(keepingCapacity: true) }
        return results.sorted { $0.observation.at < $1.observation.at }
    }
}

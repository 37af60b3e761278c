import KeawatchModel
import KeawatchPolling

/// Where the per-target pollers leave their results for the evaluation service.
actor ObservationInbox {
    private var results: [PollResult] = []
    let doorbell = Doorbell()

    func deliver(_ result: PollResult) async {
        results.append(result)
        await doorbell.ring()
    }

    var isEmpty: Bool { results.isEmpty }

    func takeAll() -> [PollResult] {
        defer { results.removeAll(keepingCapacity: true) }
        return results.sorted { $0.observation.at < $1.observation.at }
    }
}

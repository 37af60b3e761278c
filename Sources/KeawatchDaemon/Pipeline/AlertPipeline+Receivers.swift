import KeawatchNotify
import KeawatchRouting
import KeawatchStore

extension AlertPipeline {
    /// Every configured receiver's name, in config order.
    var receiverNames: [String] {
        get async { await evaluation.receiverNames }
    }

    /// The receivers the routes send an alert with these labels (`alertname` included) to.
    func receivers(of labels: [(name: String, value: String)]) async -> [String] {
        await evaluation.receivers(of: labels)
    }
}

extension AlertPipeline {
    /// State changes of each target, newest first, in one read (for the status page).
    func stateHistories(of targets: [String]) async throws -> [String: [StateChange]] {
        try await store.stateHistories(of: targets)
    }
}

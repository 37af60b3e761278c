import KeawatchNotify

extension AlertPipeline {
    /// Every configured receiver's name, in config order.
    var receiverNames: [String] { config.receivers.map(\.name) }

    /// The receivers the routes send an alert with these labels (`alertname` included) to.
    func receivers(of labels: [(name: String, value: String)]) -> [String] {
        router.receivers(of: labels)
    }
}

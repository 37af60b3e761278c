extension Router {
    /// The receivers the routes send an alert with these labels (`alertname` included) to, in
    /// route order, as `place` picks them.
    package func receivers(of labels: [(name: String, value: String)]) -> [String] {
        var receivers: [String] = []
        for route in routes where route.matches(labels) {
            for receiver in route.receivers where !receivers.contains(receiver) { receivers.append(receiver) }
            if !route.continueMatching { break }
        }
        return receivers
    }
}

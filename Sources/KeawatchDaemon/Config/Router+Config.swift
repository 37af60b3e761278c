import KeawatchNotify
import KeawatchRouting
import KeawatchRules

extension Router {
    /// The router of a configuration: its routes and inhibit rules, with what each receiver needs
    /// (resolve messages, a repeat floor, its own grouping), and the rules' correlations.
    init(config: KeawatchConfig, correlations: [Correlation]) {
        var maximumRepeat: [String: Duration] = [:]
        for receiver in config.receivers {
            if let repeatFloor = receiver.maximumRepeat { maximumRepeat[receiver.name] = repeatFloor }
        }
        self.init(
            routes: config.routes,
            inhibitRules: config.inhibitRules,
            sendResolved: Set(config.receivers.filter(\.sendResolved).map(\.name)),
            maximumRepeat: maximumRepeat,
            correlations: correlations,
            immediate: Set(config.receivers.filter(\.groupsItself).map(\.name))
        )
    }
}

import KeawatchModel

/// Which targets Kea reports in maintenance (`in-maintenance`, `partner-in-maintenance`), kept up
/// to date per observation, and what that mutes: those targets, their partners and their pairs
/// (`maintenance_silences`). Pure.
struct MaintenanceTracker: Sendable {
    /// Targets whose latest observation reports maintenance.
    private(set) var inMaintenance: Set<String> = []

    mutating func observe(_ observations: [Observation]) {
        for observation in observations {
            let maintenance = observation.status?.relationships.contains {
                $0.local.state == .inMaintenance || $0.local.state == .partnerInMaintenance
            }
            if maintenance == true {
                inMaintenance.insert(observation.target)
            } else {
                inMaintenance.remove(observation.target)
            }
        }
    }

    /// The targets and pairs to mute, given the pairs the engine knows.
    func muted(pairs knownPairs: [(name: String, targets: [String])]) -> (targets: Set<String>, pairs: Set<String>) {
        var targets = inMaintenance
        var pairs: Set<String> = []
        guard !targets.isEmpty else { return ([], []) }
        for pair in knownPairs where pair.targets.contains(where: targets.contains) {
            pairs.insert(pair.name)
            targets.formUnion(pair.targets)
        }
        return (targets, pairs)
    }
}

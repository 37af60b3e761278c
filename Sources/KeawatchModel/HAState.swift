/// A Kea HA state as reported in `local.state` or `remote.last-state`. States this version does not
/// know (a newer Kea) are kept by name, never rejected.
package struct HAState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    package var description: String { rawValue }

    package static let waiting = HAState(rawValue: "waiting")
    package static let syncing = HAState(rawValue: "syncing")
    package static let ready = HAState(rawValue: "ready")
    package static let loadBalancing = HAState(rawValue: "load-balancing")
    package static let hotStandby = HAState(rawValue: "hot-standby")
    package static let backup = HAState(rawValue: "backup")
    package static let passiveBackup = HAState(rawValue: "passive-backup")
    package static let partnerDown = HAState(rawValue: "partner-down")
    package static let partnerInMaintenance = HAState(rawValue: "partner-in-maintenance")
    package static let inMaintenance = HAState(rawValue: "in-maintenance")
    package static let communicationRecovery = HAState(rawValue: "communication-recovery")
    package static let terminated = HAState(rawValue: "terminated")
    /// `remote.last-state` right after a failed heartbeat.
    package static let unavailable = HAState(rawValue: "unavailable")
    /// `remote.last-state` before first contact (Kea reports `""`).
    package static let unknown = HAState(rawValue: "")

    /// Every state Kea 2.2–3.0 documents for a server.
    package static let documented: [HAState] = [
        .waiting, .syncing, .ready, .loadBalancing, .hotStandby, .backup, .passiveBackup, .partnerDown,
        .partnerInMaintenance, .inMaintenance, .communicationRecovery, .terminated,
    ]

    /// States in which a server serves its share of clients as designed.
    package var isOperational: Bool {
        self == .loadBalancing || self == .hotStandby || self == .backup || self == .passiveBackup
    }

    /// The states a (re)starting server walks through before it serves.
    package var isStartup: Bool {
        self == .waiting || self == .syncing || self == .ready
    }
}

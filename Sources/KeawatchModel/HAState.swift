/// A Kea HA state as reported in `local.state` or `remote.last-state`. States this version does not
/// know (a newer Kea) are kept by name, never rejected.
public struct HAState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static let waiting = HAState(rawValue: "waiting")
    public static let syncing = HAState(rawValue: "syncing")
    public static let ready = HAState(rawValue: "ready")
    public static let loadBalancing = HAState(rawValue: "load-balancing")
    public static let hotStandby = HAState(rawValue: "hot-standby")
    public static let backup = HAState(rawValue: "backup")
    public static let passiveBackup = HAState(rawValue: "passive-backup")
    public static let partnerDown = HAState(rawValue: "partner-down")
    public static let partnerInMaintenance = HAState(rawValue: "partner-in-maintenance")
    public static let inMaintenance = HAState(rawValue: "in-maintenance")
    public static let communicationRecovery = HAState(rawValue: "communication-recovery")
    public static let terminated = HAState(rawValue: "terminated")
    /// `remote.last-state` right after a failed heartbeat.
    public static let unavailable = HAState(rawValue: "unavailable")
    /// `remote.last-state` before first contact (Kea reports `""`).
    public static let unknown = HAState(rawValue: "")

    /// Every state Kea 2.2–3.0 documents for a server.
    public static let documented: [HAState] = [
        .waiting, .syncing, .ready, .loadBalancing, .hotStandby, .backup, .passiveBackup, .partnerDown,
        .partnerInMaintenance, .inMaintenance, .communicationRecovery, .terminated,
    ]

    /// States in which a server serves its share of clients as designed.
    public var isOperational: Bool {
        self == .loadBalancing || self == .hotStandby || self == .backup || self == .passiveBackup
    }

    /// The states a (re)starting server walks through before it serves.
    public var isStartup: Bool {
        self == .waiting || self == .syncing || self == .ready
    }
}

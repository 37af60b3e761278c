/// One problem `review` found (and, in the agent, what an alert names).
package struct ReviewFinding: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// The partners' configurations differ where they must agree.
        case drift
        /// Reservations that give one address to two clients, or one client two addresses.
        case reservation
        /// HA settings against ISC's advice.
        case haSettings = "ha-settings"
        /// A subnet near exhaustion.
        case utilization
        /// Addresses clients declined (DHCPDECLINE): something else uses them.
        case declined
        /// A server could not be reviewed (unreachable, a command failed, an answer unusable).
        case unreadable
    }

    package enum Severity: String, Sendable, Comparable {
        case info, warning, critical

        var rank: Int {
            switch self {
            case .info: 0
            case .warning: 1
            case .critical: 2
            }
        }

        package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    package var kind: Kind
    package var severity: Severity
    /// One line for a person.
    package var message: String
    /// The JSON paths involved (per server, when they differ).
    package var paths: [String]
    /// Values by server name (drift: each partner's value).
    package var values: [(server: String, value: String?)]

    package init(
        kind: Kind,
        severity: Severity,
        message: String,
        paths: [String] = [],
        values: [(server: String, value: String?)] = []
    ) {
        self.kind = kind
        self.severity = severity
        self.message = message
        self.paths = paths
        self.values = values
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.kind == rhs.kind && lhs.severity == rhs.severity && lhs.message == rhs.message && lhs.paths == rhs.paths
            && lhs.values.map(\.server) == rhs.values.map(\.server)
            && lhs.values.map(\.value) == rhs.values.map(\.value)
    }
}

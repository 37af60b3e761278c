import KeawatchModel

extension Router {
    /// One alert in a group, as this group's receiver has heard of it.
    struct Member: Sendable {
        var alert: Alert
        var firing: Bool
        var notifiedFiring = false
        /// A change event: sent once as firing, then dropped without a resolve.
        var event = false
    }

    /// Where a group stands in Alertmanager's cycle of waits.
    enum Phase: Sendable, Equatable {
        /// Nothing sent yet: the first message may go when `group_wait` ends.
        case collecting(until: Double)
        /// Sent (or taken over as sent at a restart or reload), nothing new since; news may go at
        /// `nextAt` (`group_interval` after the message; at once for a group taken over).
        case quiet(nextAt: Double)
        /// Sent, and news is waiting for `group_interval` to end at `nextAt`.
        case holding(nextAt: Double)

        /// The earliest a message with news may go.
        var nextAt: Double {
            switch self {
            case .collecting(let until): until
            case .quiet(let nextAt), .holding(let nextAt): nextAt
            }
        }

        var hasSent: Bool {
            if case .collecting = self { return false }
            return true
        }

        /// When news that is waiting falls due (nil when nothing waits).
        var newsDueAt: Double? {
            switch self {
            case .collecting(let until): until
            case .holding(let nextAt): nextAt
            case .quiet: nil
            }
        }

        /// An alert joined, changed or resolved.
        mutating func noteChange() {
            if case .quiet(let nextAt) = self { self = .holding(nextAt: nextAt) }
        }
    }

    /// The alerts one receiver hears about together: one message per group.
    struct Group: Sendable {
        var receiver: String
        var route: Int
        var key: String
        var labels: [(name: String, value: String)]
        var members: [String: Member] = [:]  // by fingerprint
        var phase: Phase
        /// When a message with alerts last went (for `repeat_interval`).
        var lastNotification: Double = 0
        /// The idempotency key of the group's first message: later ones follow it up.
        var thread: String?
        /// The highest severity this group has sent as firing (an alert above it is sent at once).
        var sentSeverity: Severity?
    }
}

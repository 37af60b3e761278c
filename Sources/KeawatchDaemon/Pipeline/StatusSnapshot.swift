import KeawatchModel
import KeawatchNotify
import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The evaluation's part of what `/api/v1/status` shows, taken at one instant. Never holds a
/// secret: targets by name and redacted URL.
struct EvaluationSnapshot: Sendable {
    struct Target: Sendable {
        var name: String
        var url: String
        var observation: Observation?
        var maintenance: Bool
    }

    enum AlertEntry: Sendable {
        case pending(rule: String, subject: String, since: Date)
        /// With the reason it is not sent, if it is not (silence, inhibition, cause, maintenance).
        case firing(Alert, suppressed: String?)
    }

    var targets: [Target]
    var pairs: [(name: String, targets: [String])]
    var alerts: [AlertEntry]
    var receivers: [(name: String, type: String, destination: String)]
    var silences: [Silence]
    var health: Health
}

/// The delivery's part: each receiver's last error, the queue and the dead letters.
struct DeliverySnapshot: Sendable {
    var lastErrors: [String: String]
    var depth: (count: Int, oldest: Duration?)
    var deadLetters: [(id: Int64, receiver: String, reason: String)]
}

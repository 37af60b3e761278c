/// How urgent an alert is. `critical` pages, `warning` notifies, `info` records.
package enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case info
    case warning
    case critical

    package static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }
}

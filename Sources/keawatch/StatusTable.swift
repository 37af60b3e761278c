import KeawatchModel

/// The human-readable table of `poll`: one row per HA relationship of each target.
struct StatusTable {
    static let header = [
        "TARGET", "REACHABLE", "HA MODE", "ROLE", "STATE", "PARTNER", "IN-TOUCH", "COMM-INTERRUPTED", "AGE", "UNACKED",
    ]
    var rows: [[String]] = []
    var notes: [String] = []

    init(_ observations: [Observation]) {
        for observation in observations {
            switch observation.outcome {
            case .failure(let failure):
                rows.append([observation.target, "no", "-", "-", "-", "-", "-", "-", "-", "-"])
                notes.append("\(observation.target): \(failure)")
            case .status(let status) where status.relationships.isEmpty:
                rows.append([observation.target, "yes", "(no HA)", "-", "-", "-", "-", "-", "-", "-"])
            case .status(let status):
                for relationship in status.relationships {
                    let remote = relationship.remote
                    rows.append([
                        observation.target, "yes", relationship.mode, relationship.local.role,
                        relationship.local.state.rawValue,
                        remote.map { $0.lastState == .unknown ? "(unknown)" : $0.lastState.rawValue } ?? "-",
                        remote.map { $0.inTouch ? "yes" : "no" } ?? "-",
                        remote.map { $0.communicationInterrupted ? "YES" : "no" } ?? "-",
                        remote?.age.map { "\($0)s" } ?? "-",
                        remote.map { "\($0.unackedClients)" } ?? "-",
                    ])
                }
            }
        }
    }

    var rendered: String {
        let all = [Self.header] + rows.map { $0.map(TerminalText.safeLine) }
        var widths = [Int](repeating: 0, count: Self.header.count)
        for row in all {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        var text = ""
        for row in all {
            var line = ""
            for (column, cell) in row.enumerated() {
                line += cell
                if column < row.count - 1 { line += String(repeating: " ", count: widths[column] - cell.count + 2) }
            }
            text += line + "\n"
        }
        for note in notes { text += TerminalText.safeLine(note) + "\n" }
        return text
    }
}

import KeawatchModel
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Log lines for a terminal (`time level message key=value…`) or, under systemd (when
/// `$JOURNAL_STREAM` is set), for the journal: a `<N>` syslog priority prefix and no timestamp.
struct AgentLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let journal: Bool

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted("\($0.value)"))" }
        let text = ([event.message.description] + fields).joined(separator: " ")
        let line: String
        if journal {
            line = "<\(Self.priority(event.level))>\(text)\n"
        } else {
            line = "\(Timestamp.format(Date())) \(event.level.rawValue.uppercased()) \(text)\n"
        }
        FileOutput.standardError.write(line)
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A metadata value as one logfmt token: quoted when it holds spaces, quotes or `=`, with
    /// backslashes, quotes and every control character escaped — a newline in a server's text
    /// must not start a forged journal line.
    static func quoted(_ value: String) -> String {
        let safe = TerminalText.safeLine(value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))
        return safe.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" }) ? "\"" + safe + "\"" : safe
    }
}

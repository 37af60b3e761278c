import KeawatchModel
package import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Log lines for a terminal (`time LEVEL label [source] message key=value…`) or, under systemd
/// (when `$JOURNAL_STREAM` is set), for the journal: a `<N>` syslog priority prefix and no
/// timestamp. An error passed as swift-log's `error:` becomes `error.message` and `error.type`
/// metadata, as swift-log's own handlers write it. Every control character of the message and the
/// values is escaped: a newline in a server's text must not start a forged journal line.
package struct AgentLogHandler: LogHandler {
    package let label: String
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    package let journal: Bool
    /// Where finished lines go (standard error; tests collect them).
    let write: @Sendable (String) -> Void

    package init(
        label: String,
        logLevel: Logger.Level,
        journal: Bool,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.logLevel = logLevel
        self.journal = journal
        self.write = write
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let fields = merged.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key))=\(Self.quoted("\($0.value)"))" }
        let head =
            "\(Self.quoted(label)) [\(Self.quoted(event.source))] \(TerminalText.safeLine(event.message.description))"
        let text = ([head] + fields).joined(separator: " ")
        if journal {
            write("<\(Self.priority(event.level))>\(text)\n")
        } else {
            write("\(Timestamp.format(Date())) \(event.level.rawValue.uppercased()) \(text)\n")
        }
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
    /// backslashes, quotes and every control character escaped.
    static func quoted(_ value: String) -> String {
        let safe = TerminalText.safeLine(value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))
        return safe.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" }) ? "\"" + safe + "\"" : safe
    }
}

/// A mistake in a file a person wrote (a config, a rule file): the file, where in it (a line and
/// column for syntax, a JSON path for everything else), and what was expected. Config and rule
/// loading share it; its text never contains a secret.
package struct LocatedError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Location: Sendable, Equatable, CustomStringConvertible {
        case line(Int, column: Int)
        case path(JSONPath)

        package var description: String {
            switch self {
            case .line(let line, let column): "line \(line), column \(column)"
            case .path(let path): path.description
            }
        }
    }

    package var file: String
    /// Nil when the mistake is the file itself (it cannot be read).
    package var location: Location?
    package var message: String

    package init(file: String, location: Location? = nil, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// A value of the document that is not what was expected.
    package init(file: String, _ error: JSONShapeError) {
        self.init(file: file, location: .path(error.path), message: error.messageWithoutPath)
    }

    /// A document that is not JSON (or not UTF-8).
    package init(file: String, _ error: JSONSyntaxError) {
        self.init(file: file, location: .line(error.line, column: error.column), message: "expected \(error.expected)")
    }

    package var description: String {
        if let location { return "\(file): \(location): \(message)" }
        return "\(file): \(message)"
    }
}

/// Every mistake found in a set of files, in a stable order: file by file as they were read, and
/// within a file in document order. Never empty when thrown. One per line as text.
package struct LocatedErrors: Error, Sendable, Equatable, CustomStringConvertible, RandomAccessCollection {
    package private(set) var errors: [LocatedError]

    package init(_ errors: [LocatedError]) {
        self.errors = errors
    }

    package var startIndex: Int { errors.startIndex }
    package var endIndex: Int { errors.endIndex }
    package subscript(position: Int) -> LocatedError { errors[position] }

    package var description: String { errors.map(\.description).joined(separator: "\n") }
}

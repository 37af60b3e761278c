/// A mistake in a rule file: the file, where (line/column or JSON path), and what was expected.
public struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var location: String?
    public var message: String

    public init(file: String, location: String? = nil, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { return "\(file): \(location): \(message)" }
        return "\(file): \(message)"
    }
}

/// One place where two partners' configurations disagree: the JSON path and both values (compact
/// JSON, redacted; nil where one side has nothing).
public struct ConfigDifference: Sendable, Equatable {
    public var path: String
    public var first: String?
    public var second: String?

    public init(path: String, first: String?, second: String?) {
        self.path = path
        self.first = first
        self.second = second
    }
}

/// One place where two partners' configurations disagree: the JSON path and both values (compact
/// JSON, redacted; nil where one side has nothing).
package struct ConfigDifference: Sendable, Equatable {
    package var path: String
    package var first: String?
    package var second: String?

    package init(path: String, first: String?, second: String?) {
        self.path = path
        self.first = first
        self.second = second
    }
}

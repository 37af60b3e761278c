extension JSONObjectReader {
    /// A duration member (`"5s"`, `"1m30s"`, or a number of seconds); nil when absent.
    public mutating func duration(_ key: String) throws(JSONShapeError) -> Duration? {
        guard let value = value(key) else { return nil }
        guard let duration = DurationText.parse(value) else {
            throw JSONShapeError(
                path: path.appending(key),
                expected: "a duration such as \"500ms\", \"5s\", \"1m30s\" or a number of seconds",
                found: value.stringValue.map { "\"\($0)\"" } ?? value.kindDescription
            )
        }
        return duration
    }
}

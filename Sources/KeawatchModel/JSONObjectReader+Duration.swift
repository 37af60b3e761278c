extension JSONObjectReader {
    /// A duration member (`"5s"`, `"1m30s"`, or a number of seconds) within `range`; nil when absent.
    /// The default range is every duration from zero to `DurationText.maximum`.
    package mutating func duration(
        _ key: String,
        in range: ClosedRange<Duration> = .zero...DurationText.maximum
    ) throws(JSONShapeError) -> Duration? {
        guard let value = value(key) else { return nil }
        guard let duration = DurationText.parse(value), range.contains(duration) else {
            throw JSONShapeError(
                path: path.appending(key),
                expected: "a duration from \(DurationText.describe(range.lowerBound)) to "
                    + "\(DurationText.describe(range.upperBound)) such as \"500ms\", \"5s\", \"1m30s\", \"2d\" "
                    + "or a number of seconds",
                found: value.stringValue.map { "\"\($0)\"" } ?? value.kindDescription
            )
        }
        return duration
    }

    /// A whole-number member within `range`; nil when absent.
    package mutating func integer(_ key: String, in range: ClosedRange<Int>) throws(JSONShapeError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let number = value.intValue, range.contains(number) else {
            throw JSONShapeError(
                path: path.appending(key),
                expected: "a whole number from \(range.lowerBound) to \(range.upperBound)",
                found: value.numberValue.map { JSONValue.number($0).serialized } ?? value.kindDescription
            )
        }
        return number
    }
}

extension DurationText {
    /// A bound as it reads in a range message: the maximum by name, anything else spelled out.
    package static func describe(_ duration: Duration) -> String {
        duration == maximum ? maximumText : format(duration)
    }
}

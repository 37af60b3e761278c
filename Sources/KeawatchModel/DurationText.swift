/// Durations as people write them in config and rules: `"500ms"`, `"5s"`, `"1m30s"`, `"2h"`, or a
/// bare number of seconds. Every duration is at most `maximum`: anything longer, or too large to
/// compute, is not a duration (so no input can overflow arithmetic on it later).
package enum DurationText {
    /// The longest duration anything accepts: 3650 days (10 years).
    package static let maximum = Duration.seconds(3650 * 86_400)
    /// How the limit reads in messages.
    package static let maximumText = "3650d (10 years)"
    private static let maximumMilliseconds: Int64 = 3650 * 86_400_000

    package static func parse(_ value: JSONValue) -> Duration? {
        switch value {
        case .number(let seconds) where seconds >= 0 && seconds * 1000 <= Double(maximumMilliseconds):
            return .milliseconds(Int64((seconds * 1000).rounded()))
        case .string(let text):
            return parse(text)
        default:
            return nil
        }
    }

    package static func parse(_ string: String) -> Duration? {
        let text = Array(string)
        var total: Int64 = 0
        var index = 0
        var sawPart = false
        while index < text.count {
            let numberStart = index
            while index < text.count, text[index].isASCII, text[index].isNumber { index += 1 }
            // Past 12 digits no amount in any unit fits the maximum (and Int64 may not hold it).
            guard numberStart < index, index - numberStart <= 12,
                let amount = Int64(String(text[numberStart..<index]))
            else { return nil }
            let unitStart = index
            while index < text.count, text[index].isLetter { index += 1 }
            let multiplier: Int64
            switch String(text[unitStart..<index]) {
            case "ms": multiplier = 1
            case "s": multiplier = 1000
            case "m": multiplier = 60_000
            case "h": multiplier = 3_600_000
            case "d": multiplier = 86_400_000
            default: return nil
            }
            let (part, overflow) = amount.multipliedReportingOverflow(by: multiplier)
            guard !overflow, part <= maximumMilliseconds - total else { return nil }
            total += part
            sawPart = true
        }
        return sawPart ? .milliseconds(total) : nil
    }

    /// The shortest exact spelling, e.g. `90s` → `"1m30s"`.
    package static func format(_ duration: Duration) -> String {
        var milliseconds =
            Int64(duration.components.seconds) * 1000
            + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "0s" }
        var text = ""
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000), ("ms", 1)] where milliseconds >= size
        {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }
}

extension Duration {
    /// The duration in seconds, for arithmetic with `Date` and timestamps.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// An operator's "not now": alerts whose labels match every matcher are not sent while the silence
/// lasts. When it ends and they still fire, they are sent then (as Alertmanager does).
package struct Silence: Sendable, Equatable {
    /// The longest a silence may last: a year (a forgotten silence must end some day).
    package static let maximumDuration: Duration = .seconds(366 * 86_400)
    /// How many silences that have not ended an agent holds; each is checked against every alert.
    package static let maximumActive = 1000

    package var id: String
    package var matchers: [LabelMatcher]
    package var comment: String
    package var createdBy: String
    package var startsAt: Date
    package var endsAt: Date

    package init(
        id: String,
        matchers: [LabelMatcher],
        comment: String,
        createdBy: String,
        startsAt: Date,
        endsAt: Date
    ) {
        self.id = id
        self.matchers = matchers
        self.comment = comment
        self.createdBy = createdBy
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    package func isActive(at now: Date) -> Bool {
        startsAt <= now && now < endsAt
    }

    package func matches(_ labels: [(name: String, value: String)]) -> Bool {
        matchers.allSatisfy { $0.matches(labels) }
    }
}

/// `name=value`, `name!=value`, `name=~regex`, `name!~regex` (regexes match the whole value; a
/// missing label has the empty value), as in Alertmanager and amtool.
package struct LabelMatcher: Sendable, CustomStringConvertible {
    package enum Operation: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    package let name: String
    package let operation: Operation
    package let value: String
    /// Compiled once: matching runs for every alert and silence at every evaluation.
    private let regex: CompiledRegex?

    /// A matcher; nil when `value` is not a valid regular expression for the regex operations.
    package init?(name: String, operation: Operation, value: String) {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        if operation == .matches || operation == .notMatches {
            guard let regex = CompiledRegex(value) else { return nil }
            self.regex = regex
        } else {
            regex = nil
        }
        self.name = name
        self.operation = operation
        self.value = value
    }

    /// Parses `name=value` and the other forms; nil when malformed.
    package init?(parsing text: String) {
        for operation in [Operation.notMatches, .matches, .notEqual, .equal] {
            guard let range = text.firstRange(of: operation.rawValue) else { continue }
            var value = String(text[range.upperBound...])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            self.init(
                name: String(text[..<range.lowerBound].drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()),
                operation: operation,
                value: value
            )
            return
        }
        return nil
    }

    package func matches(_ labels: [(name: String, value: String)]) -> Bool {
        let actual = labels.first { $0.name == name }?.value ?? ""
        switch operation {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matches, .notMatches:
            let whole = regex?.wholeMatches(actual) ?? false
            return whole == (operation == .matches)
        }
    }

    package var description: String { "\(name)\(operation.rawValue)\"\(value)\"" }
}

extension LabelMatcher: Equatable {
    package static func == (left: LabelMatcher, right: LabelMatcher) -> Bool {
        left.name == right.name && left.operation == right.operation && left.value == right.value
    }
}

/// A regular expression compiled (and lowered, by one match) before it is shared. `Regex` is not
/// `Sendable` only because its `AnyRegexOutput` may hold `Any`; this one is never mutated after
/// `init`, and only whole-match booleans leave it.
private final class CompiledRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    init?(_ pattern: String) {
        guard let regex = try? Regex(pattern) else { return nil }
        _ = try? regex.wholeMatch(in: "")
        self.regex = regex
    }

    func wholeMatches(_ text: String) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }
}

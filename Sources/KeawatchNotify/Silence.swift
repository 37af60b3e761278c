#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// An operator's "not now": alerts whose labels match every matcher are not sent while the silence
/// lasts. When it ends and they still fire, they are sent then (as Alertmanager does).
public struct Silence: Sendable, Equatable {
    public var id: String
    public var matchers: [LabelMatcher]
    public var comment: String
    public var createdBy: String
    public var startsAt: Date
    public var endsAt: Date

    public init(
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

    public func isActive(at now: Date) -> Bool {
        startsAt <= now && now < endsAt
    }

    public func matches(_ labels: [(name: String, value: String)]) -> Bool {
        matchers.allSatisfy { $0.matches(labels) }
    }
}

/// `name=value`, `name!=value`, `name=~regex`, `name!~regex` (regexes match the whole value; a
/// missing label has the empty value), as in Alertmanager and amtool.
public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
    public enum Operation: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public var name: String
    public var operation: Operation
    public var value: String

    /// A matcher; nil when `value` is not a valid regular expression for the regex operations.
    public init?(name: String, operation: Operation, value: String) {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        if operation == .matches || operation == .notMatches {
            guard (try? Regex(value)) != nil else { return nil }
        }
        self.name = name
        self.operation = operation
        self.value = value
    }

    /// Parses `name=value` and the other forms; nil when malformed.
    public init?(parsing text: String) {
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

    public func matches(_ labels: [(name: String, value: String)]) -> Bool {
        let actual = labels.first { $0.name == name }?.value ?? ""
        switch operation {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matches, .notMatches:
            let whole = (try? Regex(value)).map { (try? $0.wholeMatch(in: actual)) != nil } ?? false
            return whole == (operation == .matches)
        }
    }

    public var description: String { "\(name)\(operation.rawValue)\"\(value)\"" }
}

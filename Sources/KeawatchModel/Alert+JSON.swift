#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Alert {
    /// The alert as JSON, for the outbox and engine checkpoints.
    package var json: JSONValue {
        .object(
            JSONObject([
                ("rule", .string(rule)),
                ("severity", .string(severity.rawValue)),
                ("labels", .array(labels.map { .array([.string($0.name), .string($0.value)]) })),
                ("summary", .string(summary)),
                ("description", .string(description)),
                ("fingerprint", .string(fingerprint)),
                ("episode", .string(episode)),
                ("startsAt", .string(Timestamp.format(startsAt))),
                ("endsAt", endsAt.map { .string(Timestamp.format($0)) } ?? .null),
            ])
        )
    }

    package init(json value: JSONValue) throws(JSONShapeError) {
        guard let rule = value["rule"]?.stringValue,
            let startsAt = value["startsAt"]?.stringValue.flatMap(Timestamp.parse)
        else { throw JSONShapeError(path: .root, expected: "a stored alert with rule and startsAt") }
        self.init(
            rule: rule,
            severity: value["severity"]?.stringValue.flatMap(Severity.init(rawValue:)) ?? .warning,
            labels: (value["labels"]?.arrayValue ?? []).compactMap { pair in
                guard let parts = pair.arrayValue, parts.count == 2, let name = parts[0].stringValue,
                    let text = parts[1].stringValue
                else { return nil }
                return (name, text)
            },
            summary: value["summary"]?.stringValue ?? "",
            description: value["description"]?.stringValue ?? "",
            fingerprint: value["fingerprint"]?.stringValue ?? "",
            episode: value["episode"]?.stringValue ?? "",
            startsAt: startsAt,
            endsAt: value["endsAt"]?.stringValue.flatMap(Timestamp.parse)
        )
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The same shape as `Alert.json` (labels as `[name, value]` pairs, instants as RFC 3339 text), so
/// that checkpoints written by either read alike.
extension Alert: Codable {
    private enum CodingKeys: String, CodingKey {
        case rule, severity, labels, summary, description, fingerprint, episode, startsAt, endsAt
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func instant(_ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a time")
            }
            return date
        }
        guard let startsAt = try instant(.startsAt) else {
            throw DecodingError.keyNotFound(
                CodingKeys.startsAt,
                .init(codingPath: decoder.codingPath, debugDescription: "")
            )
        }
        let labels = try container.decode([[String]].self, forKey: .labels).compactMap { pair in
            pair.count == 2 ? (name: pair[0], value: pair[1]) : nil
        }
        self.init(
            rule: try container.decode(String.self, forKey: .rule),
            severity: try container.decode(Severity.self, forKey: .severity),
            labels: labels,
            summary: try container.decode(String.self, forKey: .summary),
            description: try container.decode(String.self, forKey: .description),
            fingerprint: try container.decode(String.self, forKey: .fingerprint),
            episode: try container.decode(String.self, forKey: .episode),
            startsAt: startsAt,
            endsAt: try instant(.endsAt)
        )
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(severity, forKey: .severity)
        try container.encode(labels.map { [$0.name, $0.value] }, forKey: .labels)
        try container.encode(summary, forKey: .summary)
        try container.encode(description, forKey: .description)
        try container.encode(fingerprint, forKey: .fingerprint)
        try container.encode(episode, forKey: .episode)
        try container.encode(Timestamp.format(startsAt), forKey: .startsAt)
        try container.encodeIfPresent(endsAt.map(Timestamp.format), forKey: .endsAt)
    }
}

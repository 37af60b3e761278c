import KeawatchModel

/// Stable identifiers: `StableHash` over the rule and its sorted labels, each part ended.
enum Fingerprint {
    static func of(rule: String, labels: [(name: String, value: String)]) -> String {
        var hash = StableHash()
        hash.combine(rule)
        hash.endPart()
        for label in labels {
            hash.combine(label.name)
            hash.endPart()
            hash.combine(label.value)
            hash.endPart()
        }
        return hash.hex
    }

    static func episode(_ fingerprint: String, startsAt: Double) -> String {
        "\(fingerprint)-\(Int64(saturating: (startsAt * 1000).rounded(.down)))"
    }
}

import KeawatchModel

/// Stable identifiers: FNV-1a 64 over the rule and its sorted labels (Swift's `Hasher` is seeded
/// per process, and fingerprints must survive restarts and match across instances).
enum Fingerprint {
    static func of(rule: String, labels: [(name: String, value: String)]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        mix(rule)
        for label in labels {
            mix(label.name)
            mix(label.value)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func episode(_ fingerprint: String, startsAt: Double) -> String {
        "\(fingerprint)-\(Int64(saturating: (startsAt * 1000).rounded(.down)))"
    }
}

/// FNV-1a 64: the one hash for identifiers that must survive restarts and match across agents
/// (alert fingerprints, notification idempotency keys, deduplication keys). Swift's `Hasher` is
/// seeded per process, so it cannot serve.
package struct StableHash: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    package init() {}

    package mutating func combine(_ text: String) {
        for byte in text.utf8 { mix(byte) }
    }

    /// Ends a part, so that ("ab", "c") and ("a", "bc") differ.
    package mutating func endPart() {
        mix(0xff)
    }

    private mutating func mix(_ byte: UInt8) {
        state ^= UInt64(byte)
        state = state &* 0x100_0000_01b3
    }

    /// Sixteen lowercase hex digits.
    package var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hash of one text, as hex.
    package static func hex(_ text: String) -> String {
        var hash = StableHash()
        hash.combine(text)
        return hash.hex
    }
}

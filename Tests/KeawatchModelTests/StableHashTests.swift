import KeawatchModel
import Testing

@Suite struct StableHashTests {
    @Test func isFNV1a64() {
        // The published FNV-1a 64 test vectors: fingerprints and idempotency keys stored by earlier
        // versions keep matching.
        #expect(StableHash.hex("") == "cbf29ce484222325")
        #expect(StableHash.hex("a") == "af63dc4c8601ec8c")
        #expect(StableHash.hex("foobar") == "85944171f73967e8")
    }

    @Test func endingPartsSeparatesThem() {
        func parts(_ texts: [String]) -> String {
            var hash = StableHash()
            for text in texts {
                hash.combine(text)
                hash.endPart()
            }
            return hash.hex
        }
        #expect(parts(["ab", "c"]) != parts(["a", "bc"]))
        #expect(parts(["ab", "c"]) == parts(["ab", "c"]))
    }
}

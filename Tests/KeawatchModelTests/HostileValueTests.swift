import Foundation
import KeawatchModel
import Testing

/// Values an attacker or a careless operator can hand in: none may trap, and the limits are stated.
@Suite struct HostileValueTests {
    @Test(arguments: [
        "9223372036854775807s", "106751991167d", "99999999999999d", "3651d", "87601h", "315360000001ms",
        "99999999999999999999999999s", "1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d" + "3650d",
    ])
    func durationsBeyondTenYearsAreNotDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func tenYearsIsTheLongestDuration() {
        #expect(DurationText.parse("3650d") == DurationText.maximum)
        #expect(DurationText.parse("3649d23h59m59s999ms") == DurationText.maximum - .milliseconds(1))
        #expect(DurationText.parse(.number(315_360_000)) == DurationText.maximum)
    }

    @Test(arguments: [1e300, 315_360_000.001, Double.infinity, -1, -Double.infinity, Double.nan])
    func hugeNegativeOrNonFiniteNumbersAreNotDurations(seconds: Double) {
        #expect(DurationText.parse(.number(seconds)) == nil)
    }

    @Test func outOfRangeMembersNameTheRange() throws {
        var reader = try JSONObjectReader(
            try JSONValue.parse(#"{"d": 1e300, "n": 1e300, "m": 2.5}"#),
            at: .root
        )
        #expect(throws: JSONShapeError.self) { try reader.duration("d") }
        do {
            _ = try reader.integer("n", in: 2...1000)
            Issue.record("accepted 1e300")
        } catch {
            #expect(error.description == "$.n: expected a whole number from 2 to 1000, found 1e+300")
        }
        do {
            _ = try reader.integer("m", in: 2...1000)
            Issue.record("accepted 2.5")
        } catch {
            #expect(error.description == "$.m: expected a whole number from 2 to 1000, found 2.5")
        }
    }

    @Test(arguments: [1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, 1e15, -1e12])
    func anyDateFormatsWithoutTrapping(seconds: Double) {
        let text = Timestamp.format(Date(timeIntervalSince1970: seconds))
        #expect(text.count == 24)
    }

    @Test(arguments: ["2025-02-29T00:00:00Z", "2025-02-31T00:00:00Z", "2025-04-31T12:00:00Z", "1900-02-29T00:00:00Z"])
    func impossibleDatesAreRejected(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func leapDaysAreDates() {
        #expect(Timestamp.parse("2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp.parse("2000-02-29T00:00:00Z") != nil)
    }

    @Test func saturatingConversionNeverTraps() {
        #expect(Int64(saturating: 1e300) == .max)
        #expect(Int64(saturating: -1e300) == .min)
        #expect(Int64(saturating: .nan) == 0)
        #expect(Int64(saturating: 42.9) == 42)
    }

    @Test(arguments: [
        ("https://user:pa55@host/x", false, "https://<redacted>@host/x"),
        ("https://user:pa/ss@host/x", false, "https://<redacted>@host/x"),
        ("https://user:p@ss@host/x", false, "https://<redacted>@host/x"),
        ("http://host:8000/", false, "http://host:8000/"),
        ("https://hooks.example/T0/B0/TOKEN", true, "https://hooks.example/…"),
        ("https://user:pw@hooks.example/T0/B0/TOKEN?k=v", true, "https://hooks.example/…"),
        ("https://hooks.example?token=TOKEN", true, "https://hooks.example/…"),
        ("not a url TOKEN", true, "<url>"),
    ])
    func urlsAreRedactedByTheirParts(url: String, secret: Bool, shown: String) {
        #expect(URLRedaction.redact(url, secret: secret) == shown)
    }

    @Test func longBadValuesAreShortenedInMessages() {
        let error = JSONShapeError(path: .root, expected: "x", found: String(repeating: "A", count: 50_000_000))
        #expect(error.description.utf8.count < 200)
        #expect(error.description.hasSuffix("… (50000000 bytes)"))
    }

    @Test func invalidUTF8InADocumentIsNamedByLineAndColumn() {
        let bytes = Array(#"{"a": "b",\#n "c": ""#.utf8) + [0xE9] + Array(#""}"#.utf8)
        #expect(throws: JSONSyntaxError(line: 2, column: 8, expected: "UTF-8 text (this byte is not UTF-8)")) {
            try JSONValue.parseDocument(bytes)
        }
        #expect((try? JSONValue.parseDocument(Array(#"{"é": "✓"}"#.utf8))) != nil)
    }
}

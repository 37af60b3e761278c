import Foundation
import KeawatchModel
import Testing

@Suite struct TimeTextTests {
    @Test(arguments: [
        ("2025-11-12T19:17:55.120Z", 1_762_975_075.120),
        ("1970-01-01T00:00:00.000Z", 0),
        ("2024-02-29T23:59:59.999Z", 1_709_251_199.999),
    ])
    func timestampsRoundTrip(text: String, seconds: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.0005)
        #expect(Timestamp.format(date) == text)
    }

    @Test func timestampsAcceptOffsetsAndRejectGarbage() {
        #expect(Timestamp.parse("2025-11-12T20:17:55+01:00")?.timeIntervalSince1970 == 1_762_975_075)
        #expect(Timestamp.parse("2025-11-12 19:17:55Z") == nil)
        #expect(Timestamp.parse("2025-13-12T19:17:55Z") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)),
        ("5s", .seconds(5)),
        ("1m30s", .seconds(90)),
        ("2h", .seconds(7200)),
    ])
    func durationsParseAndFormat(text: String, duration: Duration) {
        #expect(DurationText.parse(text) == duration)
        #expect(DurationText.format(duration) == text)
    }

    @Test(arguments: ["", "5", "5x", "s", "-5s", "1.5s"])
    func malformedDurationsAreRejected(text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}

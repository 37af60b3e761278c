import Foundation
import KeawatchModel
import Testing

@Suite struct HistoryRecordTests {
    @Test func responseLineKeepsKeasBodyByteForByte() throws {
        let raw = Array("[ { \"result\": 1,\n \"text\": \"unable to forward\" } ]".utf8)
        let at = try #require(Timestamp.parse("2025-11-12T19:17:55.120Z"))
        let line = HistoryRecord.line(at: at, target: "kea-dhcp-2", rawResponse: raw)
        #expect(
            line
                == "{\"at\":\"2025-11-12T19:17:55.120Z\",\"target\":\"kea-dhcp-2\",\"response\":[ { \"result\": 1,  \"text\": \"unable to forward\" } ]}"
        )
        let record = try HistoryRecord(line: line)
        #expect(record.content == .response(try JSONValue.parse(raw)))
        #expect(record.observation.failure?.kind == .keaError)
    }

    @Test func errorLinesRoundTrip() throws {
        let record = HistoryRecord(
            at: Date(timeIntervalSince1970: 1_762_975_076.002),
            target: "kea-dhcp-1",
            content: .error(PollFailure(kind: .connectionRefused, message: "Failed to connect"))
        )
        #expect(
            record.line
                == "{\"at\":\"2025-11-12T19:17:56.002Z\",\"target\":\"kea-dhcp-1\",\"error\":{\"kind\":\"connection-refused\",\"message\":\"Failed to connect\"}}"
        )
        #expect(try HistoryRecord(line: record.line) == record)
    }

    @Test(arguments: [
        (
            "{\"at\":\"x\",\"target\":\"t\",\"error\":{\"kind\":\"timeout\"}}",
            "$.at: expected an RFC 3339 timestamp, found \"x\""
        ),
        ("{\"at\":\"2025-11-12T19:17:56.002Z\",\"target\":\"t\"}", "$: expected a \"response\" or an \"error\" member"),
        (
            "{\"at\":\"2025-11-12T19:17:56.002Z\",\"target\":\"t\",\"response\":[],\"x\":1}",
            "$.x: expected no such key (known keys: at, error, response, target)"
        ),
        ("not json", "line 1, column 1: expected a JSON value"),
    ])
    func malformedLinesSayWhy(line: String, message: String) {
        #expect(throws: HistoryFormatError(message: message)) { try HistoryRecord(line: line) }
    }
}

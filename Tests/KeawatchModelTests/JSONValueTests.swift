import KeawatchModel
import Testing

@Suite struct JSONValueTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        (" -12.5e1 ", .number(-125)),
        ("\"a\\u00e9\\n\\\"\"", .string("aé\n\"")),
        ("\"\\ud83d\\ude00\"", .string("😀")),
        ("[1, [], {}]", .array([.number(1), .array([]), .object([:])])),
        ("{\"k\": {\"x\": false}}", .object(["k": .object(["x": .bool(false)])])),
    ])
    func parsesValidDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test(arguments: [
        ("", 1, 1, "a JSON value"),
        ("{\"a\": 1,}", 1, 9, "a quoted key"),
        ("[1 2]", 1, 4, "',' or ']'"),
        ("{\"a\": 1}\n x", 2, 2, "end of document"),
        ("{\"a\": 1, \"a\": 2}", 1, 15, "no duplicate key \"a\""),
        ("\"tab\there\"", 1, 5, "no control characters in a string"),
        ("01", 1, 2, "end of document"),
        ("tru", 1, 1, "a JSON value"),
    ])
    func reportsWhereSyntaxBreaks(text: String, line: Int, column: Int, expected: String) {
        #expect(throws: JSONSyntaxError(line: line, column: column, expected: expected)) {
            try JSONValue.parse(text)
        }
    }

    @Test func serializationRoundTripsInDocumentOrder() throws {
        let text = "{\"b\":[1,2.5,\"x\\u0001\"],\"a\":null}"
        let value = try JSONValue.parse(text)
        #expect(value.serialized == text)
        #expect(try JSONValue.parse(value.serialized) == value)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test func strictReaderNamesUnknownKeysAndWrongTypes() throws {
        var reader = try JSONObjectReader(
            try JSONValue.parse("{\"url\": 5, \"extra\": 1}"),
            at: .root.appending("targets").appending(0)
        )
        #expect(
            throws: JSONShapeError(
                path: .root.appending("targets").appending(0).appending("url"),
                expected: "a string",
                found: "a number"
            )
        ) {
            _ = try reader.string("url")
        }
        #expect(throws: JSONShapeError.self) { try reader.finish(known: ["url"]) }
        #expect(JSONPath.root.appending("targets").appending(0).appending("url").description == "$.targets[0].url")
    }
}

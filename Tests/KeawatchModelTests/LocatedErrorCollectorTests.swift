import KeawatchModel
import Testing

/// The collector behind `keawatch check`: every mistake of a file, in document order whatever
/// order the loader read the keys in, each naming the file and where.
@Suite struct LocatedErrorCollectorTests {
    static let file = "/etc/keawatch/config.json"
    static let text = #"{"b": 1, "a": {"y": true, "x": [10, 20]}, "c": "z"}"#

    @Test func mistakesComeInDocumentOrderNotInTheOrderTheyWereFound() throws {
        let problems = LocatedErrorCollector(file: Self.file)
        let document = try #require(problems.parseDocument(Array(Self.text.utf8)))
        var root = try JSONObjectReader(document, at: .root)
        // Read in another order than written: "c", then "a", then "b".
        _ = problems.value(or: nil) { () throws(JSONShapeError) in try root.number("c") }
        _ = problems.value(or: nil) { () throws(JSONShapeError) in try root.string("b") }
        problems.record(
            JSONShapeError(path: .root.appending("a").appending("x").appending(1), expected: "a small number")
        )
        problems.record(JSONShapeError(path: .root.appending("a").appending("missing"), expected: "a value"))
        problems.rejectUnknownKeys(root, known: ["b", "c"])
        #expect(
            problems.errors.map(\.description) == [
                "/etc/keawatch/config.json: $.b: expected a string, found a number",
                "/etc/keawatch/config.json: $.a: expected no such key (known keys: b, c)",
                "/etc/keawatch/config.json: $.a.x[1]: expected a small number",
                // A missing key sorts after the members its object has.
                "/etc/keawatch/config.json: $.a.missing: expected a value",
                "/etc/keawatch/config.json: $.c: expected a number, found a string",
            ]
        )
    }

    @Test func aValueWithAMistakeFallsBackAndLoadingGoesOn() throws {
        let problems = LocatedErrorCollector(file: Self.file)
        let document = try #require(problems.parseDocument(Array(Self.text.utf8)))
        var root = try JSONObjectReader(document, at: .root)
        #expect(
            problems.value(or: "fallback") { () throws(JSONShapeError) in try root.string("b") ?? "" } == "fallback"
        )
        #expect(problems.value(or: "fallback") { () throws(JSONShapeError) in try root.string("c") ?? "" } == "z")
        #expect(problems.count == 1)
        #expect(!problems.check { () throws(JSONShapeError) in throw JSONShapeError(path: .root, expected: "x") })
        #expect(problems.count == 2)
    }

    @Test func everyUnknownKeyIsItsOwnMistakeButKeysLeftUnreadAfterAMistakeAreNot() throws {
        let problems = LocatedErrorCollector(file: Self.file)
        let document = try #require(problems.parseDocument(Array(#"{"tiemout": 1, "name": 2, "urll": 3}"#.utf8)))
        let root = try JSONObjectReader(document, at: .root)
        // "name" was never read (reading stopped at an earlier mistake), but it is a known key.
        problems.rejectUnknownKeys(root, known: ["name", "timeout"])
        #expect(
            problems.errors.map(\.description) == [
                "/etc/keawatch/config.json: $.tiemout: expected no such key (known keys: name, timeout)",
                "/etc/keawatch/config.json: $.urll: expected no such key (known keys: name, timeout)",
            ]
        )
    }

    @Test func aSyntaxErrorIsTheFilesOnlyMistakeAndNamesLineAndColumn() {
        let problems = LocatedErrorCollector(file: Self.file)
        #expect(problems.parseDocument(Array("{\n  \"targets\": [}".utf8)) == nil)
        #expect(
            LocatedErrors(problems.errors).description
                == "/etc/keawatch/config.json: line 2, column 15: expected a JSON value"
        )
    }

    @Test func severalMistakesReadOnePerLine() {
        let errors = LocatedErrors([
            LocatedError(file: "a.json", location: .path(.root.appending("x")), message: "expected y"),
            LocatedError(file: "b.json", message: "cannot read the file (no such file)"),
        ])
        #expect(errors.description == "a.json: $.x: expected y\nb.json: cannot read the file (no such file)")
        #expect(errors.count == 2)
    }
}

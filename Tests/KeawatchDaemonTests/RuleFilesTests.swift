import Foundation
import KeawatchDaemon
import KeawatchModel
import Testing

/// Rule files on disk: every file is checked whatever an earlier one holds, and the mistakes come
/// file by file in the order given (a directory's files in name order).
@Suite struct RuleFilesTests {
    static func directory(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kw-rules-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func aSyntaxErrorStopsOnlyItsOwnFile() throws {
        let directory = try Self.directory([
            "a.json": #"{"rules": [{"name": "A", "kind": "unreachable"}"#,
            "b.json":
                #"{"rules": [{"name": "B", "kind": "unreachable", "severity": "page"}, {"name": "A", "kind": "unreachable"}]}"#,
            "c.json":
                #"{"rules": [{"name": "B", "kind": "unreachable"}, {"name": "L", "kind": "recurrence", "when": {"field": "reachable", "==": false}, "count": 3, "within": "1s"}]}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: LocatedErrors.self) { try RuleFiles.loadSet([directory], pollInterval: .seconds(5)) }
        do {
            _ = try RuleFiles.loadSet([directory, directory + "/none.json"], pollInterval: .seconds(5))
        } catch {
            #expect(
                error.map(\.description) == [
                    "\(directory)/a.json: line 1, column 48: expected ',' or ']'",
                    #"\#(directory)/b.json: $.rules[0].severity: expected critical, warning or info, found "page""#,
                    #"\#(directory)/c.json: $.rules[0].name: expected a name no rule of another file has, found "B" (also defined in \#(directory)/b.json)"#,
                    "\(directory)/c.json: $.rules[1].within: expected a window of at least the poll interval (5000ms), found 1000ms",
                    "\(directory)/none.json: no such file or directory",
                ]
            )
        }
    }
}

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

/// What `check`, `run` and their tests share: a config and the rule files it names, checked together.
@Suite struct ConfigWithRulesTests {
    @Test func theRuleFilesOfAConfigWithMistakesAreCheckedTooAfterTheConfigsOwn() throws {
        let directory = try RuleFilesTests.directory([
            "config.json": #"{"targets": [{"name": "k", "url": "http://h/"}], "rules": ["r.json"], "pol_interval": 1}"#,
            "r.json": #"{"rules": [{"name": "A", "kind": "unreachable", "for": "soon"}]}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let checked = KeawatchConfig.checkWithRules(file: directory + "/config.json")
        #expect(
            checked.errors.map(\.description) == [
                "\(directory)/config.json: $.pol_interval: expected no such key (known keys: api_token_env, api_token_file, config_interval, heartbeat, inhibit, listen, maintenance_silences, pairs, poll_interval, receivers, routes, rules, self_alerts, state_dir, statistics_interval, targets)",
                #"\#(directory)/r.json: $.rules[0].for: expected a duration from 0s to 3650d (10 years) such as "500ms", "5s", "1m30s", "2d" or a number of seconds, found "soon""#,
            ]
        )
        #expect(throws: LocatedErrors(checked.errors)) {
            try KeawatchConfig.loadWithRules(file: directory + "/config.json")
        }
    }
}

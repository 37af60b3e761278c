import Foundation
import KeawatchTestSupport
import Testing

/// `keawatch check` (the built binary) as an operator fixing a config meets it: every mistake of
/// the config and of each rule file it names in one run, in order, then exit 78 (EX_CONFIG).
@Suite struct CheckCommandTests {
    static func workspace(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kw-check-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory + "/rules", withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func everyMistakeOfTheConfigAndItsRuleFilesIsPrintedInOrderAndTheExitIs78() async throws {
        let directory = try Self.workspace([
            "config.json": """
            {
              "targets": [{"name": "kea-1", "url": "http://192.0.2.1:8000/", "password_file": "kea.pass", "timout": "2s"}],
              "rules": ["rules"],
              "receivers": [{"name": "hook", "type": "sms"}]
            }
            """,
            "rules/a.json": #"{"rules": [{"name": "A", "kind": "unreachable", "severity": "page"}]}"#,
            "rules/b.json": "{\"rules\": [\n  {\"name\": \"B\" \"kind\": \"unreachable\"}]}",
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try ExternalProcess(Paths.keawatchBinary, ["check", "--config", directory + "/config.json"])
        #expect(try await process.waitForExit(timeout: .seconds(60)) == 78)
        #expect(process.output == "")
        #expect(
            process.errorOutput.split(separator: "\n").map(String.init) == [
                "keawatch: invalid configuration: 5 mistakes",
                "\(directory)/config.json: $.targets[0].timout: expected no such key (known keys: ca_file, cert_file, insecure_skip_verify, key_file, max_response_bytes, name, password_env, password_file, service, statistics_interval, timeout, url, username)",
                "\(directory)/config.json: $.targets[0].username: expected a user name to go with the password",
                #"\#(directory)/config.json: $.receivers[0].type: expected one of webhook, slack, teams, discord, ntfy, pagerduty, alertmanager, email, found "sms""#,
                #"\#(directory)/rules/a.json: $.rules[0].severity: expected critical, warning or info, found "page""#,
                "\(directory)/rules/b.json: line 2, column 16: expected ',' or '}'",
            ]
        )
    }

    @Test func ruleFilesAloneAreCheckedEachOnItsOwn() async throws {
        let directory = try Self.workspace([
            "rules/a.json": #"{"rules": [{"name": "A", "kind": "unreachable", "for": "soon"}], "correlation": []}"#
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try ExternalProcess(
            Paths.keawatchBinary,
            ["check", "--rules", directory + "/rules/a.json", directory + "/rules/none.json"]
        )
        #expect(try await process.waitForExit(timeout: .seconds(60)) == 78)
        #expect(
            process.errorOutput.split(separator: "\n").map(String.init) == [
                "keawatch: invalid rules: 3 mistakes",
                #"\#(directory)/rules/a.json: $.rules[0].for: expected a duration from 0s to 3650d (10 years) such as "500ms", "5s", "1m30s", "2d" or a number of seconds, found "soon""#,
                "\(directory)/rules/a.json: $.correlation: expected no such key (known keys: $schema, correlations, description, rules)",
                "\(directory)/rules/none.json: no such file or directory",
            ]
        )
    }

    @Test func aValidConfigIsSummarizedAndTheExitIs0() async throws {
        let directory = try Self.workspace([
            "config.json": #"{"targets": [{"name": "kea-1", "url": "http://192.0.2.1:8000/"}], "rules": ["rules"]}"#,
            "rules/a.json": #"{"rules": [{"name": "A", "kind": "unreachable"}]}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try ExternalProcess(Paths.keawatchBinary, ["check", "--config", directory + "/config.json"])
        #expect(try await process.waitForExit(timeout: .seconds(60)) == 0, "\(process.errorOutput)")
        #expect(process.output.hasPrefix("\(directory)/config.json: OK (1 target, 0 receivers)\n"))
        #expect(process.output.hasSuffix("rules: OK (1 rule, 0 correlations in \(directory)/rules)\n"))
        #expect(process.errorOutput == "")
    }
}

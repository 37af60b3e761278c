import Foundation
import KeawatchTestSupport
import Testing

/// The shipped JSON Schema is a valid schema, and every shipped rule file conforms to it
/// (checked with Python's jsonschema, an independent implementation).
@Suite struct RuleSchemaTests {
    @Test func shippedRuleFilesConformToTheSchema() async throws {
        let script = """
            import json, pathlib, sys, jsonschema
            root = pathlib.Path(sys.argv[1])
            schema = json.loads((root / "keawatch-rules.schema.json").read_text())
            jsonschema.Draft202012Validator.check_schema(schema)
            files = [f for f in sorted(root.glob("*.json")) if not f.name.endswith(".schema.json")]
            for f in files:
                jsonschema.validate(json.loads(f.read_text()), schema)
            print("validated", len(files))
            """
        let process = try ExternalProcess("python3", ["-c", script, Paths.script("rules")])
        #expect(try await process.waitForExit() == 0, "\(process.errorOutput)")
        #expect(process.output.hasPrefix("validated "))
    }

    @Test func theSchemaRejectsWhatTheDecoderRejects() async throws {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            bad = {"rules": [{"name": "A", "kind": "condition", "when": {"field": "remote.agee", ">": 60}}]}
            try:
                jsonschema.validate(bad, schema)
                print("accepted")
            except jsonschema.ValidationError:
                print("rejected")
            """
        let process = try ExternalProcess("python3", ["-c", script, Paths.script("rules/keawatch-rules.schema.json")])
        #expect(try await process.waitForExit() == 0, "\(process.errorOutput)")
        #expect(process.output.trimmingCharacters(in: .whitespacesAndNewlines) == "rejected")
    }
}

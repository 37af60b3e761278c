import KeawatchModel
import KeawatchRules
import Testing

/// Rule values found to crash `check` in a fuzz run of the shipped rules: each is a located error.
@Suite struct HostileRuleTests {
    static let unreachable = #""name": "A", "kind": "unreachable""#

    @Test(arguments: [
        (#"\#(unreachable), "flapping": {"changes": 1e300, "within": "5m"}"#, "$.rules[0].flapping.changes"),
        (#"\#(unreachable), "flapping": {"changes": 2.5, "within": "5m"}"#, "$.rules[0].flapping.changes"),
        (#"\#(unreachable), "flapping": {"changes": 3, "within": "0s"}"#, "$.rules[0].flapping.within"),
        (#"\#(unreachable), "for": 1e300"#, "$.rules[0].for"),
        (#"\#(unreachable), "for": "9223372036854775807s""#, "$.rules[0].for"),
        (#"\#(unreachable), "keep_firing_for": "106751991167d""#, "$.rules[0].keep_firing_for"),
        (#"\#(unreachable), "repeat_interval": "0s""#, "$.rules[0].repeat_interval"),
        (
            #""name": "A", "kind": "state-change", "field": "local.state", "expected_paths": [["waiting"]], "settle": 1e300"#,
            "$.rules[0].settle"
        ),
    ])
    func hugeNumbersInRulesAreLocatedErrors(members: String, path: String) {
        do {
            _ = try Rule.parseFile(Array(#"{"rules": [{\#(members)}]}"#.utf8), file: "r.json")
            Issue.record("accepted: \(members)")
        } catch {
            #expect(error.map(\.location?.description) == [path])
        }
    }

    @Test func invalidUTF8InARuleFileIsNamed() {
        let bytes = Array(#"{"rules": [{"name": "A"#.utf8) + [0xC3] + Array(#"", "kind": "unreachable"}]}"#.utf8)
        #expect(
            throws: LocatedErrors([
                LocatedError(
                    file: "r.json",
                    location: .line(1, column: 23),
                    message: "expected UTF-8 text (this byte is not UTF-8)"
                )
            ])
        ) {
            try Rule.parseFile(bytes, file: "r.json")
        }
    }
}

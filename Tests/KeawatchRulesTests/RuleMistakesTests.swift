import KeawatchModel
import KeawatchRules
import Testing

/// A rule file with several mistakes lists them all, in document order: each rule is checked on
/// its own, and within a rule each common key (its kind's keys as one).
@Suite struct RuleMistakesTests {
    func mistakes(_ text: String) -> [String] {
        do {
            _ = try RuleSet.parseFile(Array(text.utf8), file: "r.json")
            return []
        } catch {
            return error.map(\.description)
        }
    }

    @Test func everyRuleAndEveryKeyOfARuleIsChecked() {
        let text = """
            {"rules": [
              {"name": "A", "kind": "unreachable", "severity": "page", "for": "soon", "sumary": "x"},
              {"name": "B", "kind": "condition", "when": {"field": "remote.agee", ">": 60}},
              {"name": "A", "kind": "unreachable"},
              {"name": "C", "kind": "alarm", "when": {}}
            ], "correlation": []}
            """
        #expect(
            mistakes(text) == [
                #"r.json: $.rules[0].severity: expected critical, warning or info, found "page""#,
                #"r.json: $.rules[0].for: expected a duration from 0s to 3650d (10 years) such as "500ms", "5s", "1m30s", "2d" or a number of seconds, found "soon""#,
                "r.json: $.rules[0].sumary: expected no such key (known keys: description, error_kinds, flapping, for, keep_firing_for, kind, labels, name, repeat_interval, severity, summary)",
                #"r.json: $.rules[1].when.field: expected a field: "#
                    + RuleField.allCases.map(\.rawValue).joined(separator: ", ") + #", found "remote.agee""#,
                #"r.json: $.rules[2].name: expected a name no other rule in the file has, found "A""#,
                // An unknown kind: its keys cannot be judged, only the kind is named.
                #"r.json: $.rules[3].kind: expected one of condition, unreachable, state-change, change-event, pair, recurrence, found "alarm""#,
                "r.json: $.correlation: expected no such key (known keys: $schema, correlations, description, rules)",
            ]
        )
    }

    @Test func everyCorrelationMistakeIsReported() throws {
        let set = try RuleSet.parseFile(
            Array(
                """
                {"rules": [{"name": "Down", "kind": "unreachable"}, {"name": "Stale", "kind": "unreachable"}],
                 "correlations": [{"causes": "Dwn", "explains": "Stale"}, {"causes": "Down", "explains": "Stael", "equal": ["site"]}]}
                """.utf8
            ),
            file: "r.json"
        )
        #expect(throws: LocatedErrors.self) { try set.validate() }
        #expect(
            set.mistakes().map(\.description) == [
                #"r.json: $.correlations[0].causes[0]: expected the name of a rule (Down, Stale), found "Dwn""#,
                #"r.json: $.correlations[1].explains[0]: expected the name of a rule (Down, Stale), found "Stael""#,
                #"r.json: $.correlations[1].equal[0]: expected a label the alerts carry (alertname, pair, relationship, severity, target), found "site""#,
            ]
        )
    }
}

import KeawatchModel

extension RuleSet {
    /// Parses a rule file's bytes: `{"rules": [ … ], "correlations": [ … ]}` (a `$schema` and a
    /// `description` key are allowed). Syntax errors name line and column; everything else the JSON
    /// path and what was expected. Correlations are checked against the rules by `validate`, once
    /// every file is loaded (they may name rules of other files).
    public static func parseFile(_ bytes: [UInt8], file: String) throws(RuleError) -> RuleSet {
        let document: JSONValue
        do {
            document = try JSONValue.parseDocument(bytes)
        } catch {
            throw RuleError(
                file: file,
                location: "line \(error.line), column \(error.column)",
                message: "expected \(error.expected)"
            )
        }
        do throws(JSONShapeError) {
            var root = try JSONObjectReader(document, at: .root)
            _ = try root.string("$schema")
            _ = try root.string("description")
            let values = try root.array("rules")
            let correlationValues = try root.array("correlations") ?? []
            try root.finish(known: ["$schema", "description", "rules", "correlations"])
            guard let values else {
                throw JSONShapeError(path: .root.appending("rules"), expected: "an array of rules", found: "nothing")
            }
            var rules: [Rule] = []
            var names: Set<String> = []
            for (index, value) in values.enumerated() {
                let path = JSONPath.root.appending("rules").appending(index)
                let rule = try Rule(decoding: value, at: path, file: file)
                guard names.insert(rule.name).inserted else {
                    throw JSONShapeError(
                        path: path.appending("name"),
                        expected: "a name no other rule in the file has",
                        found: "\"\(rule.name)\""
                    )
                }
                rules.append(rule)
            }
            var correlations: [Correlation] = []
            for (index, value) in correlationValues.enumerated() {
                let path = JSONPath.root.appending("correlations").appending(index)
                correlations.append(try Correlation(decoding: value, at: path, file: file))
            }
            return RuleSet(rules: rules, correlations: correlations)
        } catch {
            throw RuleError(file: file, location: error.path.description, message: error.messageWithoutPath)
        }
    }
}

extension Correlation {
    /// `{"causes": [RULE…], "explains": [RULE…], "equal": [LABEL…], "description": TEXT}`; a single
    /// rule name may be given as a string.
    init(decoding value: JSONValue, at path: JSONPath, file: String) throws(JSONShapeError) {
        var reader = try JSONObjectReader(value, at: path)
        func names(_ key: String) throws(JSONShapeError) -> [String] {
            let value = reader.value(key)
            if let single = value?.stringValue { return [single] }
            guard let list = value?.arrayValue, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) else {
                throw JSONShapeError(
                    path: path.appending(key),
                    expected: "a rule name or a non-empty list of them",
                    found: value?.kindDescription ?? "nothing"
                )
            }
            return list.compactMap(\.stringValue)
        }
        let causes = try names("causes")
        let explains = try names("explains")
        let equal = try reader.strings("equal") ?? ["pair"]
        let description = try reader.string("description") ?? ""
        try reader.finish(known: ["causes", "explains", "equal", "description"])
        self.init(
            causes: causes,
            explains: explains,
            equal: equal,
            description: description,
            file: file,
            path: path.description
        )
    }
}

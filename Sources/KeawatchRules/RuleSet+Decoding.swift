package import KeawatchModel

extension RuleSet {
    /// Parses a rule file's bytes: `{"rules": [ … ], "correlations": [ … ]}` (a `$schema` and a
    /// `description` key are allowed). Syntax errors name line and column; everything else the JSON
    /// path and what was expected; every mistake of the file is reported, in document order.
    /// Correlations are checked against the rules by `validate`, once every file is loaded (they
    /// may name rules of other files).
    package static func parseFile(_ bytes: [UInt8], file: String) throws(LocatedErrors) -> RuleSet {
        let problems = LocatedErrorCollector(file: file)
        guard let document = problems.parseDocument(bytes), let set = parse(document, file: file, problems: problems),
            problems.isEmpty
        else {
            throw LocatedErrors(problems.errors)
        }
        return set
    }

    /// The rules and correlations of one file, every mistake recorded in `problems`.
    package static func parse(_ document: JSONValue, file: String, problems: LocatedErrorCollector) -> RuleSet? {
        guard
            var root = problems.value(
                or: nil,
                { () throws(JSONShapeError) in try JSONObjectReader(document, at: .root) }
            )
        else { return nil }
        problems.check { () throws(JSONShapeError) in _ = try root.string("$schema") }
        problems.check { () throws(JSONShapeError) in _ = try root.string("description") }
        let values = problems.value(or: []) { () throws(JSONShapeError) -> [JSONValue] in
            guard let values = try root.array("rules") else {
                throw JSONShapeError(path: .root.appending("rules"), expected: "an array of rules", found: "nothing")
            }
            return values
        }
        let correlationValues =
            problems.value(or: nil) { () throws(JSONShapeError) in try root.array("correlations") } ?? []
        problems.rejectUnknownKeys(root, known: ["$schema", "description", "rules", "correlations"])
        var rules: [Rule] = []
        var names: Set<String> = []
        for (index, value) in values.enumerated() {
            let path = JSONPath.root.appending("rules").appending(index)
            // A second use of a name is a mistake even when either rule has others.
            if let name = value["name"]?.stringValue, !names.insert(name).inserted {
                problems.record(
                    JSONShapeError(
                        path: path.appending("name"),
                        expected: "a name no other rule in the file has",
                        found: "\"\(name)\""
                    )
                )
            }
            if let rule = Rule.decode(value, at: path, file: file, problems: problems) { rules.append(rule) }
        }
        var correlations: [Correlation] = []
        for (index, value) in correlationValues.enumerated() {
            let path = JSONPath.root.appending("correlations").appending(index)
            let correlation = problems.value(or: nil) { () throws(JSONShapeError) in
                try Correlation(decoding: value, at: path, file: file)
            }
            if let correlation { correlations.append(correlation) }
        }
        return RuleSet(rules: rules, correlations: correlations)
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
            path: path
        )
    }
}

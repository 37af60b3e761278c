package import KeawatchModel

extension Rule {
    /// Parses a rule file's bytes: `{"rules": [ … ]}` (a `$schema` key is allowed for editors).
    /// Syntax errors name line and column; everything else the JSON path and what was expected.
    /// Every mistake is reported, in document order.
    package static func parseFile(_ bytes: [UInt8], file: String) throws(LocatedErrors) -> [Rule] {
        try RuleSet.parseFile(bytes, file: file).rules
    }

    static let commonKeys = [
        "name", "kind", "severity", "for", "keep_firing_for", "repeat_interval", "flapping", "labels", "summary",
        "description",
    ]

    /// The kinds and the keys each takes besides the common ones, in the order messages name them.
    static let kindKeys: [(name: String, keys: [String])] = [
        ("condition", ["when"]), ("unreachable", ["error_kinds"]),
        ("state-change", ["field", "expected_paths", "settled", "settle"]), ("change-event", ["field"]),
        ("pair", ["when"]), ("recurrence", ["when", "count", "within", "settle"]),
    ]

    /// One rule, every mistake recorded in `problems` (the kind's own keys as one: its `when`,
    /// `field` or paths are read until the first mistake); nil when it has one.
    static func decode(_ value: JSONValue, at path: JSONPath, file: String, problems: LocatedErrorCollector) -> Rule? {
        guard
            var reader = problems.value(or: nil, { () throws(JSONShapeError) in try JSONObjectReader(value, at: path) })
        else { return nil }
        let mistakesBefore = problems.count
        let name = problems.value(or: nil) { () throws(JSONShapeError) -> String in
            let name = try reader.requiredString("name")
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                throw JSONShapeError(
                    path: path.appending("name"),
                    expected: "letters, digits, '_', '-' or '.'",
                    found: "\"\(name)\""
                )
            }
            return name
        }
        let kindName = problems.value(or: nil) { () throws(JSONShapeError) in try reader.requiredString("kind") }
        let kindKeys = kindName.flatMap { kindName in Self.kindKeys.first { $0.name == kindName }?.keys }
        let kind = problems.value(or: nil) { () throws(JSONShapeError) -> Kind? in
            guard let kindName else { return nil }
            return try decodeKind(kindName, &reader, at: path)
        }
        let severity = problems.value(or: nil) { () throws(JSONShapeError) -> Severity in
            let severityName = try reader.string("severity") ?? "warning"
            guard let severity = Severity(rawValue: severityName) else {
                throw JSONShapeError(
                    path: path.appending("severity"),
                    expected: "critical, warning or info",
                    found: "\"\(severityName)\""
                )
            }
            return severity
        }
        let pendingFor = problems.value(or: nil) { () throws(JSONShapeError) in try reader.duration("for") }
        let keepFiringFor = problems.value(or: nil) { () throws(JSONShapeError) in
            try reader.duration("keep_firing_for")
        }
        let repeatInterval = problems.value(or: nil) { () throws(JSONShapeError) in
            try reader.duration("repeat_interval", in: .seconds(1)...DurationText.maximum)
        }
        let flapping = problems.value(or: nil) { () throws(JSONShapeError) -> Flapping? in
            guard let value = reader.value("flapping") else { return nil }
            return try decodeFlapping(value, at: path.appending("flapping"))
        }
        let labels = problems.value(or: nil) { () throws(JSONShapeError) in try decodeLabels(&reader, at: path) }
        let summary = problems.value(or: nil) { () throws(JSONShapeError) in try reader.string("summary") }
        let description = problems.value(or: nil) { () throws(JSONShapeError) in try reader.string("description") }
        // Without a known kind its keys are unknown too: only its `kind` is named then.
        if let kindKeys { problems.rejectUnknownKeys(reader, known: Self.commonKeys + kindKeys) }
        guard problems.count == mistakesBefore, let name, let kind, let severity, let labels else { return nil }
        var rule = Rule(
            name: name,
            kind: kind,
            severity: severity,
            pendingFor: pendingFor ?? .zero,
            keepFiringFor: keepFiringFor ?? .zero,
            repeatInterval: repeatInterval,
            flapping: flapping,
            labels: labels,
            summary: summary ?? name,
            description: description ?? "",
            source: "\(file): \(path)"
        )
        rule.path = path
        return rule
    }

    private static func decodeKind(
        _ kindName: String,
        _ reader: inout JSONObjectReader,
        at path: JSONPath
    ) throws(JSONShapeError) -> Kind {
        switch kindName {
        case "condition", "pair":
            let pair = kindName == "pair"
            let expression = try RuleExpression(
                decoding: try reader.require("when", expected: "a condition"),
                at: path.appending("when"),
                pair: pair
            )
            for (family, isMember) in [
                ("subnet", \RuleField.isSubnetField), ("configuration", \RuleField.isConfigurationField),
            ] {
                let fields = expression.fields.filter { $0.field[keyPath: isMember] }
                if let field = fields.first, pair || fields.count != expression.fields.count {
                    throw JSONShapeError(
                        path: path.appending("when"),
                        expected: pair
                            ? "a pair rule without \(family) fields (\(field.field.rawValue) has its own scope: use a condition rule)"
                            : "only \(family) fields next to \(field.field.rawValue) (such a rule is evaluated per \(family))"
                    )
                }
            }
            return pair ? .pair(expression) : .condition(expression)
        case "unreachable":
            var kinds: [PollFailure.Kind] = []
            for (index, text) in (try reader.strings("error_kinds") ?? []).enumerated() {
                guard let kind = PollFailure.Kind(rawValue: text) else {
                    throw JSONShapeError(
                        path: path.appending("error_kinds").appending(index),
                        expected: "one of " + PollFailure.Kind.allCases.map(\.rawValue).joined(separator: ", "),
                        found: "\"\(text)\""
                    )
                }
                kinds.append(kind)
            }
            return .unreachable(kinds: kinds)
        case "state-change":
            let field = try Self.textField(&reader, key: "field", at: path)
            let settledValues = try reader.strings("settled") ?? []
            guard let pathValues = try reader.array("expected_paths") else {
                throw JSONShapeError(
                    path: path.appending("expected_paths"),
                    expected: "an array of state sequences",
                    found: "nothing"
                )
            }
            var paths: [[String]] = []
            for (index, value) in pathValues.enumerated() {
                let elementPath = path.appending("expected_paths").appending(index)
                guard let states = value.arrayValue?.compactMap(\.stringValue), states.count == value.arrayValue?.count,
                    !states.isEmpty
                else {
                    throw JSONShapeError(
                        path: elementPath,
                        expected: "a non-empty array of states",
                        found: value.kindDescription
                    )
                }
                paths.append(states)
            }
            guard let settle = try reader.duration("settle") else {
                throw JSONShapeError(
                    path: path.appending("settle"),
                    expected: "a duration such as \"60s\"",
                    found: "nothing"
                )
            }
            return .stateChange(StateChange(field: field, expectedPaths: paths, settled: settledValues, settle: settle))
        case "change-event":
            return .changeEvent(field: try Self.textField(&reader, key: "field", at: path))
        case "recurrence":
            let condition = try RuleExpression(
                decoding: try reader.require("when", expected: "a condition"),
                at: path.appending("when"),
                pair: false
            )
            guard let count = try reader.number("count"), count >= 2, count.rounded() == count else {
                throw JSONShapeError(path: path.appending("count"), expected: "a whole number of at least 2")
            }
            guard let within = try reader.duration("within"), within > .zero else {
                throw JSONShapeError(path: path.appending("within"), expected: "a positive duration such as \"10m\"")
            }
            let settle = try reader.duration("settle") ?? within
            guard settle > .zero else {
                throw JSONShapeError(path: path.appending("settle"), expected: "a positive duration")
            }
            return .recurrence(Recurrence(condition: condition, count: Int(count), within: within, settle: settle))
        default:
            throw JSONShapeError(
                path: path.appending("kind"),
                expected: "one of " + kindKeys.map(\.name).joined(separator: ", "),
                found: "\"\(kindName)\""
            )
        }
    }

    private static func decodeFlapping(_ value: JSONValue, at path: JSONPath) throws(JSONShapeError) -> Flapping {
        var flap = try JSONObjectReader(value, at: path)
        // Each counted change is kept until it leaves the window: the count bounds that memory.
        guard let changes = try flap.integer("changes", in: 2...1000) else {
            throw JSONShapeError(
                path: flap.path.appending("changes"),
                expected: "a whole number from 2 to 1000",
                found: "nothing"
            )
        }
        guard let window = try flap.duration("within", in: .milliseconds(1)...DurationText.maximum) else {
            throw JSONShapeError(path: flap.path.appending("within"), expected: "a positive duration")
        }
        try flap.finish(known: ["changes", "within"])
        return Flapping(changes: changes, window: window)
    }

    private static func decodeLabels(
        _ reader: inout JSONObjectReader,
        at path: JSONPath
    ) throws(JSONShapeError) -> [String: String] {
        var labels: [String: String] = [:]
        guard let value = reader.value("labels") else { return labels }
        let labelReader = try JSONObjectReader(value, at: path.appending("labels"))
        for member in labelReader.members {
            guard let text = member.value.stringValue else {
                throw JSONShapeError(
                    path: labelReader.path.appending(member.key),
                    expected: "a string",
                    found: member.value.kindDescription
                )
            }
            guard !Self.reservedLabels.contains(member.key) else {
                throw JSONShapeError(
                    path: labelReader.path.appending(member.key),
                    expected: "a label other than " + Self.reservedLabels.sorted().joined(separator: ", ")
                )
            }
            labels[member.key] = text
        }
        return labels
    }

    /// Labels the engine sets from the subject.
    package static let reservedLabels: Set<String> = ["alertname", "target", "pair", "relationship", "severity"]

    private static func textField(
        _ reader: inout JSONObjectReader,
        key: String,
        at path: JSONPath
    ) throws(JSONShapeError) -> RuleField {
        let name = try reader.requiredString(key)
        guard let field = RuleField.named(name), field.valueType == .text else {
            throw JSONShapeError(
                path: path.appending(key),
                expected: "a text field: "
                    + RuleField.allCases.filter { $0.valueType == .text }.map(\.rawValue).joined(separator: ", "),
                found: "\"\(name)\""
            )
        }
        return field
    }
}

extension RuleExpression {
    /// `{"field": F, OP: V}`, `{"field": F, "in": [...]}`, `{"all": [...]}`, `{"any": [...]}`, `{"not": …}`.
    init(decoding value: JSONValue, at path: JSONPath, pair: Bool) throws(JSONShapeError) {
        var reader = try JSONObjectReader(value, at: path)
        if let parts = try reader.array("all") ?? nil {
            try reader.finish(known: ["all"])
            self = .all(try Self.decodeList(parts, at: path.appending("all"), pair: pair))
            return
        }
        if let parts = try reader.array("any") {
            try reader.finish(known: ["any"])
            self = .any(try Self.decodeList(parts, at: path.appending("any"), pair: pair))
            return
        }
        if let inner = reader.value("not") {
            try reader.finish(known: ["not"])
            self = .not(try RuleExpression(decoding: inner, at: path.appending("not"), pair: pair))
            return
        }
        guard let fieldName = try reader.string("field") else {
            throw JSONShapeError(
                path: path,
                expected: "an object with \"field\" and an operator, or \"all\", \"any\" or \"not\""
            )
        }
        let field = try Self.reference(fieldName, at: path.appending("field"), pair: pair)
        let operators = Comparison.allCases.map(\.rawValue) + ["in", "not in"]
        let present = operators.filter { reader.has($0) }
        guard present.count == 1, let op = present.first, let operand = reader.value(op) else {
            throw JSONShapeError(
                path: path,
                expected: "exactly one operator of " + operators.joined(separator: ", "),
                found: present.isEmpty ? "none" : present.joined(separator: ", ")
            )
        }
        try reader.finish(known: ["field"] + operators)
        let operandPath = path.appending(op)
        if op == "in" || op == "not in" {
            guard let values = operand.arrayValue, !values.isEmpty else {
                throw JSONShapeError(
                    path: operandPath,
                    expected: "a non-empty array of values",
                    found: operand.kindDescription
                )
            }
            var literals: [Literal] = []
            for (index, element) in values.enumerated() {
                literals.append(try Self.literal(element, for: field.field, at: operandPath.appending(index)))
            }
            self = .member(field, literals, negated: op == "not in")
            return
        }
        let comparison = Comparison(rawValue: op)!
        let literal = try Self.literal(operand, for: field.field, at: operandPath)
        if field.field.valueType != .number && ![.equal, .notEqual].contains(comparison) {
            throw JSONShapeError(path: operandPath, expected: "== or != for \(field.name), which is not a number")
        }
        self = .compare(field, comparison, literal)
    }

    private static func decodeList(
        _ values: [JSONValue],
        at path: JSONPath,
        pair: Bool
    ) throws(JSONShapeError) -> [RuleExpression] {
        guard !values.isEmpty else { throw JSONShapeError(path: path, expected: "at least one condition") }
        var result: [RuleExpression] = []
        for (index, value) in values.enumerated() {
            result.append(try RuleExpression(decoding: value, at: path.appending(index), pair: pair))
        }
        return result
    }

    private static func reference(
        _ name: String,
        at path: JSONPath,
        pair: Bool
    ) throws(JSONShapeError) -> FieldReference {
        var side = FieldReference.Side.this
        var fieldName = name
        if pair {
            if name.hasPrefix("self.") {
                fieldName = String(name.dropFirst(5))
            } else if name.hasPrefix("partner.") {
                side = .partner
                fieldName = String(name.dropFirst(8))
            } else {
                throw JSONShapeError(
                    path: path,
                    expected: "a field starting with self. or partner. (pair rule)",
                    found: "\"\(name)\""
                )
            }
        }
        guard let field = RuleField.named(fieldName) else {
            throw JSONShapeError(
                path: path,
                expected: "a field: " + RuleField.allCases.map(\.rawValue).joined(separator: ", "),
                found: "\"\(name)\""
            )
        }
        return FieldReference(side: side, field: field)
    }

    private static func literal(
        _ value: JSONValue,
        for field: RuleField,
        at path: JSONPath
    ) throws(JSONShapeError) -> Literal {
        switch (field.valueType, value) {
        case (.bool, .bool(let flag)): return .bool(flag)
        case (.number, .number(let number)): return .number(number)
        case (.text, .string(let text)): return .text(text)
        default:
            throw JSONShapeError(
                path: path,
                expected: "\(field.valueType.rawValue) for \(field.rawValue)",
                found: value.kindDescription
            )
        }
    }
}

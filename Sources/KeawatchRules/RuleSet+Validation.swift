import KeawatchModel

extension RuleSet {
    /// The second pass over a whole set of rule files: every correlation names existing rules and
    /// labels those rules' alerts carry, explanations have no cycle, and (with the poll interval
    /// known) no recurrence window is shorter than a poll interval.
    public func validate(pollInterval: Duration? = nil) throws(RuleError) {
        let byName = Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let known = rules.map(\.name).joined(separator: ", ")
        var edges: [String: Set<String>] = [:]
        for correlation in correlations {
            for (key, names) in [("causes", correlation.causes), ("explains", correlation.explains)] {
                for (index, name) in names.enumerated() where byName[name] == nil {
                    throw RuleError(
                        file: correlation.file,
                        location: "\(correlation.path).\(key)[\(index)]",
                        message:
                            "expected the name of a rule (\(known.isEmpty ? "none loaded" : known)), found \"\(name)\""
                    )
                }
            }
            let involved = (correlation.causes + correlation.explains).compactMap { byName[$0] }
            let labels = Rule.reservedLabels.union(involved.flatMap(\.labels.keys))
            for (index, label) in correlation.equal.enumerated() where !labels.contains(label) {
                throw RuleError(
                    file: correlation.file,
                    location: "\(correlation.path).equal[\(index)]",
                    message:
                        "expected a label the alerts carry (\(labels.sorted().joined(separator: ", "))), found \"\(label)\""
                )
            }
            for cause in correlation.causes {
                edges[cause, default: []].formUnion(correlation.explains)
                if let cycle = Self.cycle(from: cause, edges: edges) {
                    throw RuleError(
                        file: correlation.file,
                        location: correlation.path,
                        message: "expected explanations without a cycle, found "
                            + cycle.joined(separator: " explains ")
                    )
                }
            }
        }
        guard let pollInterval else { return }
        for rule in rules {
            guard case .recurrence(let recurrence) = rule.kind, recurrence.within < pollInterval else { continue }
            let (file, location) = rule.sourceParts
            throw RuleError(
                file: file,
                location: location + ".within",
                message: "expected a window of at least the poll interval ("
                    + "\(Int64(pollInterval.seconds * 1000))ms), found \(Int64(recurrence.within.seconds * 1000))ms"
            )
        }
    }

    /// A path from `start` back to itself, if there is one.
    static func cycle(from start: String, edges: [String: Set<String>]) -> [String]? {
        var visited: Set<String> = []
        func walk(_ node: String, _ path: [String]) -> [String]? {
            for next in (edges[node] ?? []).sorted() {
                if next == start { return path + [next] }
                guard visited.insert(next).inserted else { continue }
                if let found = walk(next, path + [next]) { return found }
            }
            return nil
        }
        return walk(start, [start])
    }
}

extension Rule {
    /// `source` split into the file and the JSON path.
    var sourceParts: (file: String, location: String) {
        let characters = Array(source)
        var index = characters.count - 3
        while index >= 0 {
            if characters[index] == ":" && characters[index + 1] == " " && characters[index + 2] == "$" {
                return (String(characters[..<index]), String(characters[(index + 2)...]))
            }
            index -= 1
        }
        return (source, "")
    }
}

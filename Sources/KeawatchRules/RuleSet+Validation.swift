package import KeawatchModel

extension RuleSet {
    /// The second pass over a whole set of rule files: every correlation names existing rules and
    /// labels those rules' alerts carry, explanations have no cycle, and (with the poll interval
    /// known) no recurrence window is shorter than a poll interval. Every mistake is reported.
    package func validate(pollInterval: Duration? = nil) throws(LocatedErrors) {
        let found = mistakes(pollInterval: pollInterval)
        guard found.isEmpty else { throw LocatedErrors(found) }
    }

    /// What `validate` finds, correlations first, each in the order of the set.
    package func mistakes(pollInterval: Duration? = nil) -> [LocatedError] {
        var found: [LocatedError] = []
        let byName = Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let known = rules.map(\.name).joined(separator: ", ")
        var edges: [String: Set<String>] = [:]
        for correlation in correlations {
            func record(_ path: JSONPath, _ message: String) {
                found.append(LocatedError(file: correlation.file, location: .path(path), message: message))
            }
            for (key, names) in [("causes", correlation.causes), ("explains", correlation.explains)] {
                for (index, name) in names.enumerated() where byName[name] == nil {
                    record(
                        correlation.path.appending(key).appending(index),
                        "expected the name of a rule (\(known.isEmpty ? "none loaded" : known)), found \"\(name)\""
                    )
                }
            }
            let involved = (correlation.causes + correlation.explains).compactMap { byName[$0] }
            let labels = Rule.reservedLabels.union(involved.flatMap(\.labels.keys))
            for (index, label) in correlation.equal.enumerated() where !labels.contains(label) {
                record(
                    correlation.path.appending("equal").appending(index),
                    "expected a label the alerts carry (\(labels.sorted().joined(separator: ", "))), found \"\(label)\""
                )
            }
            let before = edges
            for cause in correlation.causes {
                edges[cause, default: []].formUnion(correlation.explains)
                if let cycle = Self.cycle(from: cause, edges: edges) {
                    record(
                        correlation.path,
                        "expected explanations without a cycle, found " + cycle.joined(separator: " explains ")
                    )
                    // Left out, so that later correlations are not blamed for the cycle this one closed.
                    edges = before
                    break
                }
            }
        }
        guard let pollInterval else { return found }
        for rule in rules {
            guard case .recurrence(let recurrence) = rule.kind, recurrence.within < pollInterval else { continue }
            found.append(
                LocatedError(
                    file: rule.sourceFile,
                    location: .path(rule.path.appending("within")),
                    message: "expected a window of at least the poll interval ("
                        + "\(Int64(pollInterval.seconds * 1000))ms), found \(Int64(recurrence.within.seconds * 1000))ms"
                )
            )
        }
        return found
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
    /// The file of `source` (which is "FILE: PATH").
    var sourceFile: String {
        let suffix = ": \(path)"
        return source.hasSuffix(suffix) ? String(source.dropLast(suffix.count)) : source
    }
}

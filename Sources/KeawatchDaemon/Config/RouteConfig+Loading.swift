import KeawatchModel
import KeawatchNotify
import KeawatchRouting

/// `routes` and `inhibit` of the config: strict, and every receiver a route names must exist.
enum RouteConfig {
    static let routeKeys = [
        "match", "receivers", "continue", "group_by", "group_wait", "group_interval", "repeat_interval",
    ]

    /// `receivers` are the names the config's receivers are given (also those with mistakes of
    /// their own: a route naming one is not a second mistake).
    static func parseRoutes(
        _ values: [JSONValue],
        at path: JSONPath,
        receivers: [String],
        problems: LocatedErrorCollector
    ) -> [Route] {
        var routes: [Route] = []
        for (index, value) in values.enumerated() {
            let routePath = path.appending(index)
            guard
                var reader = problems.value(
                    or: nil,
                    { () throws(JSONShapeError) in try JSONObjectReader(value, at: routePath) }
                )
            else { continue }
            let match = problems.value(or: [:]) { () throws(JSONShapeError) in
                try matcher(reader.value("match"), at: routePath.appending("match"))
            }
            let names = problems.value(or: []) { () throws(JSONShapeError) -> [String] in
                guard let names = try reader.strings("receivers"), !names.isEmpty else {
                    throw JSONShapeError(
                        path: routePath.appending("receivers"),
                        expected: "a list of at least one receiver name"
                    )
                }
                return names
            }
            for (position, name) in names.enumerated() where !receivers.contains(name) {
                problems.record(
                    JSONShapeError(
                        path: routePath.appending("receivers").appending(position),
                        expected: "the name of a configured receiver ("
                            + (receivers.isEmpty ? "none configured" : receivers.joined(separator: ", ")) + ")",
                        found: "\"\(name)\""
                    )
                )
            }
            let positive = Duration.milliseconds(1)...DurationText.maximum
            let route = Route(
                match: match,
                receivers: names,
                continueMatching: problems.value(or: nil) { () throws(JSONShapeError) in
                    try reader.bool("continue")
                } ?? false,
                groupBy: problems.value(or: nil) { () throws(JSONShapeError) in
                    try reader.strings("group_by")
                } ?? Route.defaultGroupBy,
                groupWait: problems.value(or: nil) { () throws(JSONShapeError) in
                    try reader.duration("group_wait")
                } ?? Route.defaultGroupWait,
                groupInterval: problems.value(or: nil) { () throws(JSONShapeError) in
                    try reader.duration("group_interval", in: positive)
                } ?? .seconds(300),
                repeatInterval: problems.value(or: nil) { () throws(JSONShapeError) in
                    try reader.duration("repeat_interval", in: positive)
                } ?? .seconds(4 * 3600)
            )
            problems.rejectUnknownKeys(reader, known: routeKeys)
            routes.append(route)
        }
        return routes
    }

    static func parseInhibitRules(
        _ values: [JSONValue],
        at path: JSONPath,
        problems: LocatedErrorCollector
    ) -> [InhibitRule] {
        var rules: [InhibitRule] = []
        for (index, value) in values.enumerated() {
            let rulePath = path.appending(index)
            guard
                var reader = problems.value(
                    or: nil,
                    { () throws(JSONShapeError) in try JSONObjectReader(value, at: rulePath) }
                )
            else { continue }
            let source = problems.value(or: nil) { () throws(JSONShapeError) in
                try matcher(reader.value("source"), at: rulePath.appending("source"))
            }
            let target = problems.value(or: nil) { () throws(JSONShapeError) in
                try matcher(reader.value("target"), at: rulePath.appending("target"))
            }
            if let source, let target, source.isEmpty || target.isEmpty {
                problems.record(JSONShapeError(path: rulePath, expected: "non-empty source and target matchers"))
            }
            let equal = problems.value(or: nil) { () throws(JSONShapeError) in try reader.strings("equal") } ?? []
            problems.rejectUnknownKeys(reader, known: ["source", "target", "equal"])
            rules.append(InhibitRule(source: source ?? [:], target: target ?? [:], equal: equal))
        }
        return rules
    }

    /// `{"label": ["value", …]}` (a single string is accepted for one value).
    static func matcher(_ value: JSONValue?, at path: JSONPath) throws(JSONShapeError) -> [String: [String]] {
        guard let value else { return [:] }
        let reader = try JSONObjectReader(value, at: path)
        var result: [String: [String]] = [:]
        for member in reader.members {
            if let text = member.value.stringValue {
                result[member.key] = [text]
            } else if let list = member.value.arrayValue, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) {
                result[member.key] = list.compactMap(\.stringValue)
            } else {
                throw JSONShapeError(
                    path: path.appending(member.key),
                    expected: "a label value or a list of them",
                    found: member.value.kindDescription
                )
            }
        }
        return result
    }
}

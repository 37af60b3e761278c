import KeawatchModel
import KeawatchNotify
import KeawatchRouting

/// `routes` and `inhibit` of the config: strict, and every receiver a route names must exist.
enum RouteConfig {
    static func parseRoutes(_ values: [JSONValue], at path: JSONPath, receivers: [String]) throws -> [Route] {
        var routes: [Route] = []
        for (index, value) in values.enumerated() {
            let routePath = path.appending(index)
            var reader = try JSONObjectReader(value, at: routePath)
            let match = try matcher(reader.value("match"), at: routePath.appending("match"))
            guard let names = try reader.strings("receivers"), !names.isEmpty else {
                throw JSONShapeError(
                    path: routePath.appending("receivers"),
                    expected: "a list of at least one receiver name"
                )
            }
            for (position, name) in names.enumerated() where !receivers.contains(name) {
                throw JSONShapeError(
                    path: routePath.appending("receivers").appending(position),
                    expected: "the name of a configured receiver ("
                        + (receivers.isEmpty ? "none configured" : receivers.joined(separator: ", ")) + ")",
                    found: "\"\(name)\""
                )
            }
            let positive = Duration.milliseconds(1)...DurationText.maximum
            let route = Route(
                match: match,
                receivers: names,
                continueMatching: try reader.bool("continue") ?? false,
                groupBy: try reader.strings("group_by") ?? Route.defaultGroupBy,
                groupWait: try reader.duration("group_wait") ?? Route.defaultGroupWait,
                groupInterval: try reader.duration("group_interval", in: positive) ?? .seconds(300),
                repeatInterval: try reader.duration("repeat_interval", in: positive) ?? .seconds(4 * 3600)
            )
            try reader.finish(known: [
                "match", "receivers", "continue", "group_by", "group_wait", "group_interval", "repeat_interval",
            ])
            routes.append(route)
        }
        return routes
    }

    static func parseInhibitRules(_ values: [JSONValue], at path: JSONPath) throws -> [InhibitRule] {
        var rules: [InhibitRule] = []
        for (index, value) in values.enumerated() {
            let rulePath = path.appending(index)
            var reader = try JSONObjectReader(value, at: rulePath)
            let source = try matcher(reader.value("source"), at: rulePath.appending("source"))
            let target = try matcher(reader.value("target"), at: rulePath.appending("target"))
            guard !source.isEmpty, !target.isEmpty else {
                throw JSONShapeError(path: rulePath, expected: "non-empty source and target matchers")
            }
            let equal = try reader.strings("equal") ?? []
            try reader.finish(known: ["source", "target", "equal"])
            rules.append(InhibitRule(source: source, target: target, equal: equal))
        }
        return rules
    }

    /// `{"label": ["value", …]}` (a single string is accepted for one value).
    static func matcher(_ value: JSONValue?, at path: JSONPath) throws -> [String: [String]] {
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

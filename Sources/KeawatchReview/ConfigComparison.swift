package import KeawatchModel

/// Compares what two HA partners must agree on — subnets, pools, reservations, option data, client
/// classes, the HA peers, mode and timers — after normalizing away what legitimately differs per
/// server (`this-server-name`, control sockets, interfaces, loggers, where each keeps its lease and
/// host databases, the peers' URLs, the config hash). Arrays of named things are matched by name
/// (`subnet4[id=1]`, `reservations[hw-address=…]`, `peers[name=server1]`), not by position, so a
/// reordering is no drift.
package enum ConfigComparison {
    /// Per-server members of the daemon's section.
    static let perServer: Set<String> = [
        "interfaces-config", "control-socket", "control-sockets", "loggers", "lease-database", "hosts-database",
        "hosts-databases", "server-tag", "hash", "data-directory", "server-id",
    ]
    /// Identity members, in order of preference, of the elements of a keyed array.
    static let identities = [
        "id", "name", "pool", "prefix", "hw-address", "client-id", "duid", "circuit-id", "flex-id", "library", "code",
    ]
    /// At most this many differences are listed (a wholly different file would be thousands).
    package static let limit = 200

    /// The configuration with per-server parts removed.
    package static func normalized(_ document: KeaConfigDocument) -> JSONValue {
        guard case .object(let object) = document.root else { return document.root }
        var members: [JSONObject.Member] = []
        for (key, value) in object where !perServer.contains(key) {
            members.append((key, key == "hooks-libraries" ? normalizedHooks(value) : value))
        }
        return .object(JSONObject(members))
    }

    private static func normalizedHooks(_ value: JSONValue) -> JSONValue {
        guard case .array(let libraries) = value else { return value }
        return .array(
            libraries.map { library in
                guard let relationships = library["parameters"]?["high-availability"]?.arrayValue else {
                    return library
                }
                let cleaned = relationships.map { relationship -> JSONValue in
                    var copy = removing(["this-server-name"], from: relationship)
                    if let peers = copy["peers"]?.arrayValue {
                        copy = replacing("peers", in: copy, with: .array(peers.map { removing(["url"], from: $0) }))
                    }
                    return copy
                }
                let parameters = replacing("high-availability", in: library["parameters"]!, with: .array(cleaned))
                return replacing("parameters", in: library, with: parameters)
            }
        )
    }

    /// Where `first` and `second` differ, by JSON path under `section`, at most `limit` of them.
    package static func differences(_ first: KeaConfigDocument, _ second: KeaConfigDocument) -> [ConfigDifference] {
        var found: [ConfigDifference] = []
        compare(normalized(first), normalized(second), path: first.section, key: first.section, into: &found)
        return found
    }

    private static func compare(
        _ a: JSONValue?,
        _ b: JSONValue?,
        path: String,
        key: String,
        into found: inout [ConfigDifference]
    ) {
        guard found.count < limit, a != b else { return }
        switch (a, b) {
        case (.object(let left), .object(let right)):
            var keys = left.keys
            for name in right.keys where left[name] == nil { keys.append(name) }
            for name in keys {
                compare(left[name], right[name], path: "\(path).\(name)", key: name, into: &found)
            }
        case (.array(let left), .array(let right)):
            if let identity = identity(of: left + right) {
                var labels: [String] = []
                var leftByLabel: [String: JSONValue] = [:]
                var rightByLabel: [String: JSONValue] = [:]
                for element in left {
                    let label = describe(element[identity]!)
                    if leftByLabel.updateValue(element, forKey: label) == nil { labels.append(label) }
                }
                for element in right {
                    let label = describe(element[identity]!)
                    if rightByLabel.updateValue(element, forKey: label) == nil, leftByLabel[label] == nil {
                        labels.append(label)
                    }
                }
                for label in labels {
                    compare(
                        leftByLabel[label],
                        rightByLabel[label],
                        path: "\(path)[\(identity)=\(label)]",
                        key: key,
                        into: &found
                    )
                }
            } else if left.count == right.count {
                for index in left.indices {
                    compare(left[index], right[index], path: "\(path)[\(index)]", key: key, into: &found)
                }
            } else {
                found.append(ConfigDifference(path: path, first: a.map(render), second: b.map(render)))
            }
        default:
            found.append(ConfigDifference(path: path, first: a.map(render), second: b.map(render)))
        }
    }

    /// The member that names each element, when every element is an object that has it and no two share it.
    static func identity(of elements: [JSONValue]) -> String? {
        guard !elements.isEmpty, elements.allSatisfy({ $0.objectValue != nil }) else { return nil }
        for candidate in identities where elements.allSatisfy({ $0[candidate] != nil }) {
            return candidate
        }
        return nil
    }

    /// `[id=1]` for an element of a keyed array, `""` for anything else.
    static func label(_ element: JSONValue, in key: String) -> String {
        for candidate in identities {
            if let value = element[candidate] { return "[\(candidate)=\(describe(value))]" }
        }
        return ""
    }

    static func describe(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return render(value)
    }

    /// Compact JSON, at most 200 characters.
    static func render(_ value: JSONValue) -> String {
        let text = value.serialized
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    static func removing(_ keys: Set<String>, from value: JSONValue) -> JSONValue {
        guard case .object(let object) = value else { return value }
        return .object(JSONObject(object.members.filter { !keys.contains($0.key) }))
    }

    static func replacing(_ key: String, in value: JSONValue, with replacement: JSONValue) -> JSONValue {
        guard case .object(let object) = value else { return value }
        return .object(JSONObject(object.members.map { $0.key == key ? (key, replacement) : $0 }))
    }
}

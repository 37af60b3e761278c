/// Reads the members of one JSON object strictly: every access names its path in errors, and
/// `finish()` rejects the keys nobody asked for.
public struct JSONObjectReader {
    public let path: JSONPath
    public let members: [String: JSONValue]
    private var seen: Set<String> = []

    public init(_ value: JSONValue, at path: JSONPath) throws(JSONShapeError) {
        guard case .object(let members) = value else {
            throw JSONShapeError(path: path, expected: "an object", found: value.kindDescription)
        }
        self.path = path
        self.members = members
    }

    public func has(_ key: String) -> Bool { members[key] != nil }

    public mutating func value(_ key: String) -> JSONValue? {
        seen.insert(key)
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    public mutating func require(_ key: String, expected: String) throws(JSONShapeError) -> JSONValue {
        guard let value = value(key) else {
            throw JSONShapeError(path: path.appending(key), expected: expected, found: "nothing")
        }
        return value
    }

    public mutating func string(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue else {
            throw JSONShapeError(path: path.appending(key), expected: "a string", found: value.kindDescription)
        }
        return text
    }

    public mutating func requiredString(_ key: String) throws(JSONShapeError) -> String {
        guard let text = try string(key) else {
            throw JSONShapeError(path: path.appending(key), expected: "a string", found: "nothing")
        }
        guard !text.isEmpty else {
            throw JSONShapeError(path: path.appending(key), expected: "a non-empty string", found: "\"\"")
        }
        return text
    }

    public mutating func bool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.boolValue else {
            throw JSONShapeError(path: path.appending(key), expected: "true or false", found: value.kindDescription)
        }
        return flag
    }

    public mutating func number(_ key: String) throws(JSONShapeError) -> Double? {
        guard let value = value(key) else { return nil }
        guard let number = value.numberValue else {
            throw JSONShapeError(path: path.appending(key), expected: "a number", found: value.kindDescription)
        }
        return number
    }

    public mutating func array(_ key: String) throws(JSONShapeError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard let elements = value.arrayValue else {
            throw JSONShapeError(path: path.appending(key), expected: "an array", found: value.kindDescription)
        }
        return elements
    }

    public mutating func strings(_ key: String) throws(JSONShapeError) -> [String]? {
        guard let elements = try array(key) else { return nil }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard let text = element.stringValue else {
                throw JSONShapeError(
                    path: path.appending(key).appending(index),
                    expected: "a string",
                    found: element.kindDescription
                )
            }
            result.append(text)
        }
        return result
    }

    /// The members nobody has read, for formats that keep unknown fields instead of rejecting them.
    public var unread: [String: JSONValue] {
        members.filter { !seen.contains($0.key) }
    }

    /// Rejects every key that was not read, naming the first one (in sorted order) and the known ones.
    public func finish(known: [String] = []) throws(JSONShapeError) {
        let unknown = members.keys.filter { !seen.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        let allowed = (known.isEmpty ? Array(seen) : known).sorted().joined(separator: ", ")
        throw JSONShapeError(path: path.appending(first), expected: "no such key (known keys: \(allowed))")
    }
}

/// Reads the members of one JSON object strictly: every access names its path in errors, and
/// `finish(known:)` rejects the keys nobody asked for.
package struct JSONObjectReader {
    package let path: JSONPath
    package let members: JSONObject
    // Which members were read, by position: a bit mask, and a set only for members past the 64th
    // (readers are created for every object the poller decodes, so this must not allocate).
    private var seenMask: UInt64 = 0
    private var seenBeyondMask: Set<Int> = []

    package init(_ value: JSONValue, at path: JSONPath) throws(JSONShapeError) {
        guard case .object(let members) = value else {
            throw JSONShapeError(path: path, expected: "an object", found: value.kindDescription)
        }
        self.path = path
        self.members = members
    }

    package func has(_ key: String) -> Bool { members[key] != nil }

    package mutating func value(_ key: String) -> JSONValue? {
        guard let index = members.members.firstIndex(where: { $0.key == key }) else { return nil }
        if index < 64 {
            seenMask |= 1 << UInt64(index)
        } else {
            seenBeyondMask.insert(index)
        }
        let value = members.members[index].value
        return value == .null ? nil : value
    }

    private func wasRead(_ index: Int) -> Bool {
        index < 64 ? seenMask & (1 << UInt64(index)) != 0 : seenBeyondMask.contains(index)
    }

    package mutating func require(_ key: String, expected: String) throws(JSONShapeError) -> JSONValue {
        guard let value = value(key) else {
            throw JSONShapeError(path: path.appending(key), expected: expected, found: "nothing")
        }
        return value
    }

    package mutating func string(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue else {
            throw JSONShapeError(path: path.appending(key), expected: "a string", found: value.kindDescription)
        }
        return text
    }

    package mutating func requiredString(_ key: String) throws(JSONShapeError) -> String {
        guard let text = try string(key) else {
            throw JSONShapeError(path: path.appending(key), expected: "a string", found: "nothing")
        }
        guard !text.isEmpty else {
            throw JSONShapeError(path: path.appending(key), expected: "a non-empty string", found: "\"\"")
        }
        return text
    }

    package mutating func bool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.boolValue else {
            throw JSONShapeError(path: path.appending(key), expected: "true or false", found: value.kindDescription)
        }
        return flag
    }

    package mutating func number(_ key: String) throws(JSONShapeError) -> Double? {
        guard let value = value(key) else { return nil }
        guard let number = value.numberValue else {
            throw JSONShapeError(path: path.appending(key), expected: "a number", found: value.kindDescription)
        }
        return number
    }

    package mutating func array(_ key: String) throws(JSONShapeError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard let elements = value.arrayValue else {
            throw JSONShapeError(path: path.appending(key), expected: "an array", found: value.kindDescription)
        }
        return elements
    }

    package mutating func strings(_ key: String) throws(JSONShapeError) -> [String]? {
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
    package var unread: [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (index, member) in members.members.enumerated() where !wasRead(index) {
            result[member.key] = member.value
        }
        return result
    }

    /// Every key that was neither read nor is one of `known`, in document order, each as a mistake
    /// naming the known keys: what a loader that reports every problem records.
    package func unknownKeys(known: [String]) -> [JSONShapeError] {
        let unknown = members.members.indices.filter { !wasRead($0) && !known.contains(members.members[$0].key) }
        guard !unknown.isEmpty else { return [] }
        let allowed = known.sorted().joined(separator: ", ")
        return unknown.map {
            JSONShapeError(
                path: path.appending(members.members[$0].key),
                expected: "no such key (known keys: \(allowed))"
            )
        }
    }

    /// Rejects every key that was not read, naming the first one (in sorted order) and the known ones.
    package func finish(known: [String]) throws(JSONShapeError) {
        let unknown = members.members.indices.filter { !wasRead($0) }.map { members.members[$0].key }.sorted()
        guard let first = unknown.first else { return }
        let allowed = known.sorted().joined(separator: ", ")
        throw JSONShapeError(path: path.appending(first), expected: "no such key (known keys: \(allowed))")
    }
}

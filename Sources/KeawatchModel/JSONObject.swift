/// The members of a JSON object, in document order. Lookups scan: the objects keawatch reads have
/// a handful of keys, and scanning them is cheaper than hashing (the poller decodes thousands a second).
package struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral, Sequence {
    package typealias Member = (key: String, value: JSONValue)

    package private(set) var members: [Member]

    package init(_ members: [Member] = []) {
        self.members = members
    }

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
    }

    /// Setting replaces the member in place (or appends it); setting nil removes it.
    package subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            guard let index = members.firstIndex(where: { $0.key == key }) else {
                if let newValue { members.append((key: key, value: newValue)) }
                return
            }
            if let newValue {
                members[index].value = newValue
            } else {
                members.remove(at: index)
            }
        }
    }

    package var count: Int { members.count }
    package var isEmpty: Bool { members.isEmpty }
    package var keys: [String] { members.map(\.key) }

    package func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }

    mutating func append(_ key: String, _ value: JSONValue) {
        members.append((key: key, value: value))
    }

    /// Equal when both hold the same keys with equal values, in any order.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }
}

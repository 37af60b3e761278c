import KeawatchModel

/// Seeded mutations of a JSON document as a careless operator or a hostile server would make
/// them: extreme numbers and strings where values were, members dropped, added or retyped, and
/// (sometimes) the text itself cut or corrupted.
struct JSONMutator {
    var random: SeededRandom

    static let numbers: [Double] = [
        1e300, -1e300, .infinity, -1, 0, 0.5, 1e15, 0x1p63, -0x1p63,
        4_294_967_296, 65_536, 1e-300, 2.5, 86_400 * 3651,
    ]
    static let strings: [String] = [
        "", " ", "9223372036854775807s", "106751991167d", "99999999999999d", "1e300", "-5s", "0s", "3650d",
        "\u{0}", "\r\n", "a\u{1b}[2Jb", "\u{202e}rtl", "htps://hooks.example/T0/B0/TOKEN", "http://h:99999/",
        "http://u:p/w@h/", "/dev/null", "..", "=~(", "a=~(", "a=b", "load-balancing", "partner-down",
        String(repeating: "x", count: 100_000), "ftp://x", "127.0.0.1:0", "[::1]:9547", "smtp://h:25",
    ]

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &random) < percent
    }

    /// A hostile value of any JSON type.
    mutating func hostileValue(depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<7, using: &random) {
        case 0, 1: return .number(pick(Self.numbers))
        case 2, 3: return .string(pick(Self.strings))
        case 4: return .bool(chance(50))
        case 5:
            return depth > 2
                ? .null
                : .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in hostileValue(depth: depth + 1) })
        default: return depth > 2 ? .null : .object(JSONObject([("k\(depth)", hostileValue(depth: depth + 1))]))
        }
    }

    /// `document` with one to four mutations.
    mutating func mutate(_ document: JSONValue) -> JSONValue {
        var result = document
        for _ in 0..<Int.random(in: 1...4, using: &random) { result = mutateOnce(result) }
        return result
    }

    private mutating func mutateOnce(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object) where !object.members.isEmpty && chance(75):
            var members = object.members
            let index = Int.random(in: 0..<members.count, using: &random)
            switch Int.random(in: 0..<10, using: &random) {
            case 0: members.remove(at: index)
            case 1:
                members.append((pick(["extra", "pol_interval", "url_file", "password", "$schema"]), hostileValue()))
            case 2: members[index].value = hostileValue()
            default: members[index].value = mutateOnce(members[index].value)
            }
            return .object(JSONObject(members))
        case .array(let elements) where !elements.isEmpty && chance(75):
            var elements = elements
            let index = Int.random(in: 0..<elements.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0: elements.remove(at: index)
            case 1: elements.append(elements[index])
            case 2: elements[index] = hostileValue()
            default: elements[index] = mutateOnce(elements[index])
            }
            return .array(elements)
        default:
            return hostileValue()
        }
    }

    /// The serialized text, now and then cut short or with a byte corrupted.
    mutating func text(of document: JSONValue) -> [UInt8] {
        var bytes = Array(document.serialized.utf8)
        guard !bytes.isEmpty, chance(15) else { return bytes }
        let index = Int.random(in: 0..<bytes.count, using: &random)
        if chance(50) {
            bytes.removeSubrange(index...)
        } else {
            bytes[index] = pick([0x00, 0xFF, 0xC3, 0x22, 0x5C, 0x7B, 0x5D, 0x0A])
        }
        return bytes
    }
}

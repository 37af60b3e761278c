/// Interned strings (HA states, roles, modes, names): samples store 16-bit codes, so that an hour
/// of history for a thousand servers stays small and comparisons are integer compares.
struct Vocabulary: Sendable {
    private(set) var codes: [String: UInt16] = [:]
    private(set) var names: [String] = []

    static let absent: UInt16 = .max
    static let overflow: UInt16 = .max - 1

    init(seed: [String]) {
        for name in seed { _ = intern(name) }
    }

    mutating func intern(_ name: String) -> UInt16 {
        if let code = codes[name] { return code }
        guard names.count < Int(Self.overflow) else { return Self.overflow }
        let code = UInt16(names.count)
        codes[name] = code
        names.append(name)
        return code
    }

    func code(_ name: String) -> UInt16? { codes[name] }

    func name(_ code: UInt16) -> String {
        code == Self.absent ? "" : code == Self.overflow ? "(other)" : names[Int(code)]
    }
}

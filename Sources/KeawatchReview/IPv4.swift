/// Dotted-quad IPv4 addresses and Kea pool ranges (`a - b` or `prefix/len`), as numbers.
enum IPv4 {
    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    static func range(_ text: String) -> ClosedRange<UInt32>? {
        let trimmed = text.filter { $0 != " " }
        if let dash = trimmed.firstIndex(of: "-") {
            guard let low = parse(String(trimmed[..<dash])),
                let high = parse(String(trimmed[trimmed.index(after: dash)...])),
                low <= high
            else { return nil }
            return low...high
        }
        if let slash = trimmed.firstIndex(of: "/") {
            guard let base = parse(String(trimmed[..<slash])),
                let length = UInt32(trimmed[trimmed.index(after: slash)...]),
                length <= 32
            else { return nil }
            let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
            return (base & mask)...(base | ~mask)
        }
        return nil
    }
}

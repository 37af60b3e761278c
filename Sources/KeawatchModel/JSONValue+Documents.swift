extension JSONValue {
    /// Parses a file a person wrote (a config, a rule file): JSON as `parse`, and valid UTF-8
    /// throughout — a stray Latin-1 byte is named by line and column instead of becoming U+FFFD.
    package static func parseDocument(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        if let offset = firstInvalidUTF8(bytes) {
            let before = bytes[..<offset]
            let line = before.count { $0 == UInt8(ascii: "\n") } + 1
            let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            throw JSONSyntaxError(line: line, column: column, expected: "UTF-8 text (this byte is not UTF-8)")
        }
        return try parse(bytes)
    }

    /// The offset of the first byte that does not begin a valid UTF-8 sequence; nil when all are valid.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

extension JSONValue {
    /// Compact JSON text, object members in document order.
    package var serialized: String {
        var output = ""
        output.reserveCapacity(512)
        write(to: &output)
        return output
    }

    package func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value):
            if value.rounded() == value && abs(value) < 9.0e15 {
                output += String(Int64(value))
            } else if value.isFinite {
                output += String(value)
            } else {
                output += "null"
            }
        case .string(let value): JSONValue.writeString(value, to: &output)
        case .array(let elements):
            output += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (offset, member) in members.members.enumerated() {
                if offset > 0 { output += "," }
                JSONValue.writeString(member.key, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    /// Writes a JSON string literal with the escapes RFC 8259 requires.
    package static func writeString(_ value: String, to output: inout String) {
        output += "\""
        // The common case, nothing to escape, is appended whole.
        let plain =
            value.utf8.withContiguousStorageIfAvailable { bytes in
                for byte in bytes where byte == 0x22 || byte == 0x5C || byte < 0x20 { return false }
                return true
            } ?? !value.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 })
        if plain {
            output += value
            output += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

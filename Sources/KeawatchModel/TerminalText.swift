/// Text from outside (Kea answers, the agent's replies, config values) made safe for a terminal:
/// control characters (C0, DEL, C1 — escape sequences start there), bidirectional overrides and
/// other invisible formatting characters are shown as `\u{…}` escapes instead of acting.
package enum TerminalText {
    package static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                result += "\n"
            } else if needsEscape(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Line breaks inside one value (a table cell, one line of a message) are escaped too.
    package static func safeLine(_ text: String) -> String {
        safe(text).replacing("\n", with: "\\n")
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A: false  // kept by `safe`, escaped by `safeLine`
        case 0x00..<0x20, 0x7F..<0xA0: true
        // Bidirectional embeddings, overrides and isolates; zero-width and other format characters.
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF: true
        default: false
        }
    }
}

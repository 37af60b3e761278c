import KeawatchModel

/// Fills `{{placeholder}}`s in a rule's summary and description. Unknown placeholders stay as
/// written, so a typo shows in the message instead of vanishing.
enum AlertTemplate {
    static func render(_ template: String, _ values: [String: String]) -> String {
        guard template.contains("{{") else { return template }
        var output = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                output += rest[open.lowerBound...]
                return output
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingSpaces
            output += values[name] ?? "{{\(name)}}"
            rest = rest[close.upperBound...]
        }
        return output + rest
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    func range(of needle: String) -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<self.index(index, offsetBy: needle.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}

extension Duration {
    /// `2m15s`, `45s`: how long something has lasted, for messages.
    var spoken: String {
        let total = Int64(saturating: seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return total % 60 == 0 ? "\(total / 60)m" : "\(total / 60)m\(total % 60)s" }
        return total % 3600 / 60 == 0 ? "\(total / 3600)h" : "\(total / 3600)h\(total % 3600 / 60)m"
    }
}

package import KeawatchModel

/// Removes every secret from a Kea configuration before anything keeps, logs or shows it. Kea's
/// `config-get` returns passwords in clear (database `password`, HA `basic-auth-password`, TSIG
/// `secret`, credentials in URLs, anything a hook or a `user-context` calls a password or token),
/// so this runs on the answer first, and every other part of `review` sees only its output.
package enum ConfigRedaction {
    package static let placeholder = "<redacted>"

    /// Keys whose value is a secret: any key containing one of these words, unless it names a file
    /// (`password-file`, `key-file`: a path, not the secret).
    static let secretWords = ["password", "secret", "token", "passwd", "private-key", "api-key"]

    package static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var members: [JSONObject.Member] = []
            members.reserveCapacity(object.count)
            for (key, member) in object {
                members.append((key, isSecret(key) && !isContainer(member) ? .string(placeholder) : redact(member)))
            }
            return .object(JSONObject(members))
        case .array(let elements):
            return .array(elements.map(redact))
        case .string(let text):
            return .string(redactURLCredentials(text))
        default:
            return value
        }
    }

    static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        if lowered.hasSuffix("-file") || lowered.hasSuffix("_file") || lowered.hasSuffix("-path") { return false }
        return secretWords.contains { lowered.contains($0) }
    }

    private static func isContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: true
        default: false
        }
    }

    /// A URL's user info (`http://user:pass@host/` → `http://<redacted>@host/`) by the agent's one
    /// URL redactor; text that holds `://…@` but is no plain URL goes whole.
    static func redactURLCredentials(_ text: String) -> String {
        guard let separator = text.firstRange(of: "://"), text[separator.upperBound...].contains("@") else {
            return text
        }
        let redacted = URLRedaction.redact(text, secret: false)
        return redacted == text ? placeholder : redacted
    }
}

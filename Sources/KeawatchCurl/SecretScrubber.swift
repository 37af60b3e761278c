/// Removes every configured secret from text that came from outside (a Kea answer, a receiver's
/// reply): a server that echoes a credential back must not put it in a log, the store, the status
/// API or a notification. Credentials are also removed in their HTTP basic form (base64 of
/// `user:password`), the form a server echoing an `Authorization` header would show. Such text
/// is also cut to `maximumBytes`: a 3 MB error body is not a message.
package struct SecretScrubber: Sendable {
    /// How much outside text is kept wherever it is stored or shown.
    package static let maximumBytes = 300

    private let secrets: [String]

    package init(secrets: [Secret] = [], credentials: [Credentials] = []) {
        var texts = secrets.map(\.value)
        for credential in credentials {
            texts.append(credential.password.value)
            texts.append(Self.base64(Array("\(credential.username):\(credential.password.value)".utf8)))
        }
        // Longest first, so a secret containing another is removed whole.
        self.secrets = Set(texts.filter { !$0.isEmpty }).sorted { $0.utf8.count > $1.utf8.count }
    }

    /// Merges two scrubbers' secrets.
    package func adding(_ other: SecretScrubber) -> SecretScrubber {
        SecretScrubber(secrets: (secrets + other.secrets).map(Secret.init))
    }

    /// `text` without any secret, shortened to `maximumBytes`.
    package func scrub(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: "<redacted>")
        }
        return Self.shortened(result)
    }

    /// The first `maximumBytes` bytes of `text` (on a character boundary), marked when cut.
    package static func shortened(_ text: String) -> String {
        guard text.utf8.count > maximumBytes else { return text }
        var end = text.startIndex
        var bytes = 0
        for index in text.indices {
            let size = text[index].utf8.count
            if bytes + size > maximumBytes { break }
            bytes += size
            end = text.index(after: index)
        }
        return "\(text[..<end])… (\(text.utf8.count) bytes)"
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                output.append(
                    position <= chunk.count
                        ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)] : UInt8(ascii: "=")
                )
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// A credential (password, token) that must never be printed: its descriptions are redacted.
package struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret value itself; read it only to hand it to libcurl.
    package let value: String

    package init(_ value: String) {
        self.value = value
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
}

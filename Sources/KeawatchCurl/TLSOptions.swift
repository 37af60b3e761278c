/// How a transfer verifies its peer and, optionally, proves its own identity.
package struct TLSOptions: Sendable, Equatable {
    /// A PEM bundle of trusted CAs instead of the system store.
    package var caFile: String?
    /// A PEM client certificate and its key, for servers that require mutual TLS.
    package var certFile: String?
    package var keyFile: String?
    /// Turns off peer and host name verification. Off unless an operator asks for it explicitly.
    package var insecureSkipVerify: Bool

    package init(
        caFile: String? = nil,
        certFile: String? = nil,
        keyFile: String? = nil,
        insecureSkipVerify: Bool = false
    ) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
    }
}

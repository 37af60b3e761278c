/// How a transfer verifies its peer and, optionally, proves its own identity.
public struct TLSOptions: Sendable, Equatable {
    /// A PEM bundle of trusted CAs instead of the system store.
    public var caFile: String?
    /// A PEM client certificate and its key, for servers that require mutual TLS.
    public var certFile: String?
    public var keyFile: String?
    /// Turns off peer and host name verification. Off unless an operator asks for it explicitly.
    public var insecureSkipVerify: Bool

    public init(
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

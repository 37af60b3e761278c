/// What came back from a completed transfer.
public struct CurlResponse: Sendable {
    /// The HTTP status, or the last SMTP reply code.
    public var status: Int
    /// HTTP header fields of the final response, names lower-cased; empty for SMTP.
    public var headers: [(name: String, value: String)]
    /// The raw protocol lines the server sent (status and header lines for HTTP, replies for SMTP).
    public var protocolLines: [String]
    public var body: [UInt8]
    /// Total time of the transfer as libcurl measured it.
    public var duration: Duration

    public init(
        status: Int,
        headers: [(name: String, value: String)] = [],
        protocolLines: [String] = [],
        body: [UInt8] = [],
        duration: Duration = .zero
    ) {
        self.status = status
        self.headers = headers
        self.protocolLines = protocolLines
        self.body = body
        self.duration = duration
    }

    /// The first value of a header field, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }
}

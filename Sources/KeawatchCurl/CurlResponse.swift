/// What came back from a completed transfer.
package struct CurlResponse: Sendable {
    /// The HTTP status, or the last SMTP reply code.
    package var status: Int
    /// HTTP header fields of the final response, names lower-cased; empty for SMTP.
    package var headers: [(name: String, value: String)]
    /// The raw protocol lines the server sent (status and header lines for HTTP, replies for SMTP).
    package var protocolLines: [String]
    package var body: [UInt8]
    /// Total time of the transfer as libcurl measured it.
    package var duration: Duration

    package init(
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
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }
}

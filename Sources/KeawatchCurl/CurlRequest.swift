/// One transfer for libcurl: an HTTP request or the submission of one mail over SMTP.
public struct CurlRequest: Sendable {
    /// What is sent, and over which protocol family.
    public enum Payload: Sendable {
        /// An HTTP request; `headers` are complete `Name: value` lines.
        case http(method: HTTPMethod, headers: [String], body: [UInt8])
        /// One message submitted over SMTP to every recipient.
        case mail(MailEnvelope)
    }

    public enum HTTPMethod: String, Sendable {
        case get = "GET"
        case post = "POST"
        case delete = "DELETE"
    }

    /// The target URL; never carries credentials (they travel in `credentials`).
    public var url: String
    public var payload: Payload
    /// The whole transfer's deadline, counted from the moment libcurl starts it.
    public var timeout: Duration
    public var connectTimeout: Duration
    public var tls: TLSOptions
    public var credentials: Credentials?
    /// Responses larger than this are an error, never an allocation.
    public var maxResponseBytes: Int

    public init(
        url: String,
        payload: Payload,
        timeout: Duration = .seconds(10),
        connectTimeout: Duration? = nil,
        tls: TLSOptions = TLSOptions(),
        credentials: Credentials? = nil,
        maxResponseBytes: Int = 4 << 20
    ) {
        self.url = url
        self.payload = payload
        self.timeout = timeout
        self.connectTimeout = connectTimeout ?? timeout
        self.tls = tls
        self.credentials = credentials
        self.maxResponseBytes = maxResponseBytes
    }

    /// A JSON POST, the shape of every Kea command and most webhooks.
    public static func postJSON(
        url: String,
        body: [UInt8],
        extraHeaders: [String] = [],
        timeout: Duration = .seconds(10),
        tls: TLSOptions = TLSOptions(),
        credentials: Credentials? = nil,
        maxResponseBytes: Int = 4 << 20
    ) -> CurlRequest {
        CurlRequest(
            url: url,
            payload: .http(
                method: .post,
                headers: ["Content-Type: application/json", "Accept: application/json"] + extraHeaders,
                body: body
            ),
            timeout: timeout,
            tls: tls,
            credentials: credentials,
            maxResponseBytes: maxResponseBytes
        )
    }
}

/// A user name and its password, for HTTP basic auth or SMTP AUTH.
public struct Credentials: Sendable, Equatable {
    public var username: String
    public var password: Secret

    public init(username: String, password: Secret) {
        self.username = username
        self.password = password
    }
}

/// The SMTP side of a mail transfer: envelope addresses, the message, and the TLS requirement.
public struct MailEnvelope: Sendable {
    public enum StartTLS: String, Sendable {
        /// Fail unless the connection is upgraded to TLS before anything else is sent.
        case required
        /// Upgrade when the server offers it; continue in clear text otherwise.
        case opportunistic
        /// Never upgrade (for `smtps://`, TLS is implicit anyway).
        case none
    }

    public var from: String
    public var recipients: [String]
    /// The complete RFC 5322 message, CRLF line endings.
    public var message: [UInt8]
    public var startTLS: StartTLS

    public init(from: String, recipients: [String], message: [UInt8], startTLS: StartTLS) {
        self.from = from
        self.recipients = recipients
        self.message = message
        self.startTLS = startTLS
    }
}

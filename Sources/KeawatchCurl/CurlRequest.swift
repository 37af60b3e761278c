/// One transfer for libcurl: an HTTP request or the submission of one mail over SMTP.
package struct CurlRequest: Sendable {
    /// What is sent, and over which protocol family.
    package enum Payload: Sendable {
        /// An HTTP request; `headers` are complete `Name: value` lines.
        case http(method: HTTPMethod, headers: [String], body: [UInt8])
        /// One message submitted over SMTP to every recipient.
        case mail(MailEnvelope)
    }

    package enum HTTPMethod: String, Sendable {
        case get = "GET"
        case post = "POST"
        case delete = "DELETE"
    }

    /// The target URL; never carries credentials (they travel in `credentials`).
    package var url: String
    package var payload: Payload
    /// The whole transfer's deadline, counted from the moment libcurl starts it.
    package var timeout: Duration
    package var connectTimeout: Duration
    package var tls: TLSOptions
    package var credentials: Credentials?
    /// Responses larger than this are an error, never an allocation.
    package var maxResponseBytes: Int

    package init(
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
    package static func postJSON(
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
package struct Credentials: Sendable, Equatable {
    package var username: String
    package var password: Secret

    package init(username: String, password: Secret) {
        self.username = username
        self.password = password
    }
}

/// The SMTP side of a mail transfer: envelope addresses, the message, and the TLS requirement.
package struct MailEnvelope: Sendable {
    package enum StartTLS: String, Sendable {
        /// Fail unless the connection is upgraded to TLS before anything else is sent.
        case required
        /// Upgrade when the server offers it; continue in clear text otherwise.
        case opportunistic
        /// Never upgrade (for `smtps://`, TLS is implicit anyway).
        case none
    }

    package var from: String
    package var recipients: [String]
    /// The complete RFC 5322 message, CRLF line endings.
    package var message: [UInt8]
    package var startTLS: StartTLS

    package init(from: String, recipients: [String], message: [UInt8], startTLS: StartTLS) {
        self.from = from
        self.recipients = recipients
        self.message = message
        self.startTLS = startTLS
    }
}

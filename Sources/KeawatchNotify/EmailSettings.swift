public import KeawatchCurl

/// Where and how alert mail is submitted (the `email` receiver's SMTP part).
public struct EmailSettings: Sendable {
    /// `smtp://host:587` (STARTTLS per `startTLS`) or `smtps://host:465` (implicit TLS).
    public var smtpURL: String
    public var startTLS: MailEnvelope.StartTLS
    public var from: String
    public var to: [String]
    public var credentials: Credentials?
    public var tls: TLSOptions
    public var timeout: Duration

    public init(
        smtpURL: String,
        startTLS: MailEnvelope.StartTLS = .required,
        from: String,
        to: [String],
        credentials: Credentials? = nil,
        tls: TLSOptions = TLSOptions(),
        timeout: Duration = .seconds(30)
    ) {
        self.smtpURL = smtpURL
        self.startTLS = startTLS
        self.from = from
        self.to = to
        self.credentials = credentials
        self.tls = tls
        self.timeout = timeout
    }
}

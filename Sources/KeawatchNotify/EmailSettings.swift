package import KeawatchCurl

/// Where and how alert mail is submitted (the `email` receiver's SMTP part).
package struct EmailSettings: Sendable {
    /// `smtp://host:587` (STARTTLS per `startTLS`) or `smtps://host:465` (implicit TLS).
    package var smtpURL: String
    package var startTLS: MailEnvelope.StartTLS
    package var from: String
    package var to: [String]
    package var credentials: Credentials?
    package var tls: TLSOptions
    package var timeout: Duration

    package init(
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

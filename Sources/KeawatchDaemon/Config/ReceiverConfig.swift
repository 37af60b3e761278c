package import KeawatchCurl
import KeawatchModel
package import KeawatchNotify

/// One configured receiver: where notifications go and how. Secrets (tokens in webhook URLs, HMAC
/// keys, routing keys, SMTP passwords) come from files or the environment and are never printed.
package struct ReceiverConfig: Sendable {
    package enum Kind: Sendable {
        case webhook(WebhookSender.Settings)
        case service(ServiceReceiver.Kind, url: String, timeout: Duration, tls: TLSOptions)
        case email(EmailSettings)
    }

    package var name: String
    package var type: String
    package var kind: Kind
    /// Whether resolve messages are sent (default true).
    package var sendResolved: Bool
    /// At most one message per this interval (Slack allows about one a second).
    package var minimumInterval: Duration?
    /// The receiver's message templates (defaults, or overrides from `templates`).
    package var templates: MessageTemplates = .defaults

    package func makeReceiver(transport: any Transport) -> any Receiver {
        switch kind {
        case .webhook(let settings):
            WebhookSender(transport: transport, settings: settings)
        case .service(let service, let url, let timeout, let tls):
            ServiceReceiver(
                kind: service,
                url: url,
                transport: transport,
                timeout: timeout,
                tls: tls,
                templates: templates
            )
        case .email(let settings):
            EmailReceiver(transport: transport, settings: settings, templates: templates)
        }
    }

    /// Where it delivers, fit for messages: no secrets (URL paths and queries are hidden).
    package var destination: String {
        switch kind {
        case .webhook(let settings): Self.redacted(settings.url)
        case .service(.alertmanager(let members, _), _, _, _): members.map(Self.redacted).joined(separator: ", ")
        case .service(_, let url, _, _): Self.redacted(url)
        case .email(let settings): "\(Self.redacted(settings.smtpURL)) → \(settings.to.joined(separator: ", "))"
        }
    }

    /// Scheme, host and port only: webhook URLs often carry their token in the path.
    static func redacted(_ url: String) -> String {
        URLRedaction.redact(url, secret: true)
    }
}

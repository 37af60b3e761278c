package import KeawatchCurl

/// Submits mail over SMTP with libcurl: one fresh connection per message (never a reused one, whose
/// TLS state libcurl 7.88 does not re-check), STARTTLS as configured, AUTH when credentials are set
/// (and refused when the server does not offer it).
package struct MailSender: Sendable {
    private let transport: any Transport
    package let settings: EmailSettings

    package init(transport: any Transport, settings: EmailSettings) {
        self.transport = transport
        self.settings = settings
    }

    /// Submits one message: delivered (2xx reply), retry (SMTP 4xx, connection, TLS, timeouts),
    /// or permanent (SMTP 5xx, authentication refused or not offered).
    package func send(_ message: MailMessage) async -> DeliveryOutcome {
        let request = CurlRequest(
            url: settings.smtpURL,
            payload: .mail(
                MailEnvelope(
                    from: settings.from,
                    recipients: settings.to,
                    message: message.rendered,
                    startTLS: settings.startTLS
                )
            ),
            timeout: settings.timeout,
            tls: settings.tls,
            credentials: settings.credentials
        )
        do {
            let response = try await transport.perform(request)
            let reply = response.protocolLines.last ?? "\(response.status)"
            switch response.status {
            case 200..<300: return .delivered(reply)
            case 400..<500: return .retry("SMTP \(reply)", after: nil)
            default: return .permanent("SMTP \(reply)")
            }
        } catch {
            switch error {
            case .authentication: return .permanent(error.description)
            case .other(let code, let message) where code == 55 || code == 67:
                return .permanent("\(message)")
            default: return .retry(error.description, after: nil)
            }
        }
    }
}

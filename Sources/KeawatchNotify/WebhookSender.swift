package import KeawatchCurl
package import KeawatchRouting

/// The generic `webhook` receiver: an Alertmanager-webhook-v4 body, POSTed with an idempotency key
/// and, when a secret is configured, an HMAC-SHA256 signature over the exact body.
package struct WebhookSender: Sendable {
    package struct Settings: Sendable {
        package var url: String
        package var headers: [(name: String, value: String)]
        package var hmacSecret: Secret?
        package var signatureHeader: String
        package var timeout: Duration
        package var tls: TLSOptions

        package init(
            url: String,
            headers: [(name: String, value: String)] = [],
            hmacSecret: Secret? = nil,
            signatureHeader: String = "X-Keawatch-Signature",
            timeout: Duration = .seconds(10),
            tls: TLSOptions = TLSOptions()
        ) {
            self.url = url
            self.headers = headers
            self.hmacSecret = hmacSecret
            self.signatureHeader = signatureHeader
            self.timeout = timeout
            self.tls = tls
        }
    }

    private let transport: any Transport
    package let settings: Settings

    package init(transport: any Transport, settings: Settings) {
        self.transport = transport
        self.settings = settings
    }

    package func send(_ notification: AlertNotification) async -> DeliveryOutcome {
        await post(notification.alertmanagerWebhookBody, idempotencyKey: notification.idempotencyKey)
    }

    /// POSTs a body as this receiver does; the outcome classifies the answer.
    package func post(_ body: [UInt8], idempotencyKey: String) async -> DeliveryOutcome {
        var headers = settings.headers.map { "\($0.name): \($0.value)" }
        headers.append("Idempotency-Key: \(idempotencyKey)")
        if let secret = settings.hmacSecret {
            headers.append(
                "\(settings.signatureHeader): sha256=\(HMAC.sha256Hex(key: Array(secret.value.utf8), message: body))"
            )
        }
        let request = CurlRequest.postJSON(
            url: settings.url,
            body: body,
            extraHeaders: headers,
            timeout: settings.timeout,
            tls: settings.tls,
            maxResponseBytes: 64 << 10
        )
        do {
            let response = try await transport.perform(request)
            return .http(status: response.status, retryAfter: response.header("retry-after"))
        } catch {
            switch error {
            case .unsupportedProtocol: return .permanent(error.description)
            default: return .retry(error.description, after: nil)
            }
        }
    }
}

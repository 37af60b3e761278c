public import KeawatchCurl
public import KeawatchRouting

/// The generic `webhook` receiver: an Alertmanager-webhook-v4 body, POSTed with an idempotency key
/// and, when a secret is configured, an HMAC-SHA256 signature over the exact body.
public struct WebhookSender: Sendable {
    public struct Settings: Sendable {
        public var url: String
        public var headers: [(name: String, value: String)]
        public var hmacSecret: Secret?
        public var signatureHeader: String
        public var timeout: Duration
        public var tls: TLSOptions

        public init(
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
    public let settings: Settings

    public init(transport: any Transport, settings: Settings) {
        self.transport = transport
        self.settings = settings
    }

    public func send(_ notification: AlertNotification) async -> DeliveryOutcome {
        await post(notification.alertmanagerWebhookBody, idempotencyKey: notification.idempotencyKey)
    }

    /// POSTs a body as this receiver does; the outcome classifies the answer.
    public func post(_ body: [UInt8], idempotencyKey: String) async -> DeliveryOutcome {
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

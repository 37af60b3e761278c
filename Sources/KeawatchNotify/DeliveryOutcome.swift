/// How one delivery attempt ended, as the outbox needs to know it.
package enum DeliveryOutcome: Sendable, Equatable {
    /// The receiver acknowledged it.
    case delivered(String)
    /// Worth trying again: 5xx, 429 (with the receiver's `Retry-After`), timeouts, connection and
    /// TLS trouble, SMTP 4xx.
    case retry(String, after: Duration?)
    /// Will not succeed as configured: other 4xx, SMTP 5xx, authentication refused. Dead-lettered.
    case permanent(String)

    /// Classifies an HTTP answer (`Retry-After` in seconds, capped).
    package static func http(
        status: Int,
        retryAfter: String?,
        maxRetryAfter: Duration = .seconds(3600)
    ) -> DeliveryOutcome {
        switch status {
        case 200..<300:
            return .delivered("HTTP \(status)")
        case 429:
            let after = retryAfter.flatMap { Int($0.trimmingSpaces) }.map { Duration.seconds(max(0, $0)) }
            return .retry("HTTP 429 Too Many Requests", after: after.map { min($0, maxRetryAfter) })
        case 408, 500..<600:
            return .retry("HTTP \(status)", after: nil)
        default:
            return .permanent("HTTP \(status)")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// Why a transfer failed, in words an operator can act on. Never carries credentials.
package enum CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    case connectionRefused(String)
    case timeout(Duration)
    case dns(String)
    case tls(String)
    case responseTooLarge(limit: Int)
    /// The connection broke or the server closed it before answering.
    case connectionLost(String)
    case unsupportedProtocol(String)
    case authentication(String)
    case cancelled
    /// Anything else libcurl reported: its code and message.
    case other(code: Int, message: String)

    package var description: String {
        switch self {
        case .connectionRefused(let message): "connection refused: \(message)"
        case .timeout(let after): "timed out after \(after.formattedMilliseconds)"
        case .dns(let message): "name resolution failed: \(message)"
        case .tls(let message): "TLS failure: \(message)"
        case .responseTooLarge(let limit): "response larger than the limit of \(limit) bytes"
        case .connectionLost(let message): "connection lost: \(message)"
        case .unsupportedProtocol(let message): "protocol not allowed: \(message)"
        case .authentication(let message): "authentication failed: \(message)"
        case .cancelled: "cancelled"
        case .other(let code, let message): "transfer failed (libcurl \(code)): \(message)"
        }
    }
}

extension Duration {
    /// Whole milliseconds, for messages.
    package var formattedMilliseconds: String {
        let (seconds, attoseconds) = components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }

    /// Milliseconds for libcurl options, at least 1.
    package var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// A poll that produced no usable status. It is an observation like any other.
package struct PollFailure: Sendable, Equatable, Error, CustomStringConvertible {
    /// The documented failure kinds of the history format (`error.kind`).
    package enum Kind: String, Sendable, CaseIterable {
        /// The Control Agent (or daemon) refused the TCP connection: nothing listens.
        case connectionRefused = "connection-refused"
        /// No complete answer within the target's timeout.
        case timeout
        /// The host name did not resolve.
        case dns
        /// The TLS handshake or certificate verification failed.
        case tls
        /// The connection broke before a complete answer.
        case connectionLost = "connection-lost"
        /// An HTTP status other than 200.
        case httpStatus = "http-status"
        /// The body was larger than the response size limit.
        case responseTooLarge = "response-too-large"
        /// Not JSON, or JSON of the wrong shape.
        case invalidResponse = "invalid-response"
        /// Kea answered with `result` ≠ 0 (server offline behind its Control Agent, unknown command, …).
        case keaError = "kea-error"
        /// Any other transport failure.
        case transport
    }

    package var kind: Kind
    package var message: String

    package init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { "\(kind.rawValue): \(message)" }
}

/// The `type` of a configured receiver. Each has its own keys and its own parser
/// (`ReceiverConfig+Loading.swift`); a type not listed here is a config mistake naming these.
enum ReceiverType: String, CaseIterable, Sendable {
    case webhook, slack, teams, discord, ntfy, pagerduty, alertmanager, email

    /// The keys this type takes besides the common ones.
    var keys: [String] {
        switch self {
        case .webhook:
            ["url", "url_file", "url_env", "headers", "hmac_secret_file", "hmac_secret_env", "signature_header"]
        case .slack, .teams, .discord, .ntfy: ["url", "url_file", "url_env"]
        case .pagerduty: ["routing_key_file", "routing_key_env", "url"]
        case .alertmanager: ["urls", "resend_validity"]
        case .email: ["smtp_url", "starttls", "from", "to", "username", "password_file", "password_env"]
        }
    }

    /// What `type` must be, for messages.
    static var expected: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}

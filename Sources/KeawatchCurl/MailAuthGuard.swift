/// Watches an SMTP server's EHLO answers for a mail sent with credentials. libcurl 7.88 silently
/// skips authentication when the server advertises no AUTH; keawatch refuses instead, before MAIL
/// FROM. The EHLO before STARTTLS is not judged (servers often offer AUTH only over TLS).
struct MailAuthGuard: Sendable {
    /// Whether libcurl will upgrade with STARTTLS when the server offers it.
    let willUpgrade: Bool
    private var awaitingEHLO = false
    private var capabilities: [String] = []
    private var upgrading = false

    init(willUpgrade: Bool) {
        self.willUpgrade = willUpgrade
    }

    /// Feeds one server reply line; returns an error when the transfer must stop.
    mutating func receive(_ line: String) -> CurlError? {
        let code = line.prefix(3)
        let isFinal = line.count == 3 || line.dropFirst(3).first == " "
        if code == "220" && isFinal {
            awaitingEHLO = true  // the greeting, or the go-ahead for STARTTLS
            capabilities = []
            return nil
        }
        guard awaitingEHLO, code == "250" else { return nil }
        capabilities.append(String(line.dropFirst(4)).uppercased())
        guard isFinal else { return nil }
        awaitingEHLO = false
        let offersAuth = capabilities.contains { $0.hasPrefix("AUTH") }
        let offersStartTLS = capabilities.contains { $0.hasPrefix("STARTTLS") }
        if offersAuth { return nil }
        if willUpgrade && offersStartTLS && !upgrading {
            upgrading = true  // judged again after the upgrade
            return nil
        }
        return .authentication(
            "credentials are configured but the server offers no AUTH; refusing to send unauthenticated"
        )
    }
}

package import KeawatchCurl
import KeawatchNotify
import KeawatchPolling
import KeawatchRouting

extension KeawatchConfig {
    /// Every secret of this configuration (Kea and SMTP credentials, webhook URLs and their paths,
    /// HMAC and routing keys, the heartbeat URL, the API token), for scrubbing outside text.
    package var secretScrubber: SecretScrubber {
        var secrets: [Secret] = []
        var credentials = targets.compactMap(\.credentials)
        func url(_ text: String) {
            secrets.append(Secret(text))
            // The token part alone, as a server might quote its own path back.
            if let separator = text.firstRange(of: "://"),
                let slash = text[separator.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }),
                text.distance(from: slash, to: text.endIndex) > 1
            {
                secrets.append(Secret(String(text[slash...])))
            }
        }
        for receiver in receivers {
            switch receiver.kind {
            case .webhook(let settings):
                url(settings.url)
                if let key = settings.hmacSecret { secrets.append(key) }
            case .service(.pagerDuty(let key), _, _, _):
                secrets.append(key)
            case .service(.alertmanager, _, _, _):
                break
            case .service(_, let address, _, _):
                url(address)
            case .email(let settings):
                if let credential = settings.credentials { credentials.append(credential) }
            }
        }
        if let heartbeat = agent.heartbeat { url(heartbeat.url.value) }
        if let token = agent.apiToken { secrets.append(token) }
        return SecretScrubber(secrets: secrets, credentials: credentials)
    }
}

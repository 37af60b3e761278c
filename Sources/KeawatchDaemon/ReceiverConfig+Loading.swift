import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting

extension ReceiverConfig {
    static let types = ["webhook", "slack", "teams", "discord", "ntfy", "pagerduty", "alertmanager", "email"]

    static func parse(
        _ value: JSONValue,
        at path: JSONPath,
        directory: String,
        sources: KeawatchConfig.Sources
    ) throws -> ReceiverConfig {
        var reader = try JSONObjectReader(value, at: path)
        let name = try reader.requiredString("name")
        let type = try reader.requiredString("type")
        guard types.contains(type) else {
            throw JSONShapeError(
                path: path.appending("type"),
                expected: "one of " + types.joined(separator: ", "),
                found: "\"\(type)\""
            )
        }
        let sendResolved = try reader.bool("send_resolved") ?? true
        var minimumInterval = try reader.duration("rate_limit")
        let timeout = try reader.duration("timeout", in: KeawatchConfig.timeoutRange) ?? .seconds(10)
        let tls = try KeawatchConfig.parseTLS(&reader, directory: directory, sources: sources)
        var overrides: [String: String] = [:]
        if let value = reader.value("templates") {
            let templateReader = try JSONObjectReader(value, at: path.appending("templates"))
            for member in templateReader.members {
                guard MessageTemplates.defaultSources[member.key] != nil, let text = member.value.stringValue else {
                    throw JSONShapeError(
                        path: templateReader.path.appending(member.key),
                        expected: "a Mustache template string named one of "
                            + MessageTemplates.defaultSources.keys.sorted().joined(separator: ", ")
                    )
                }
                overrides[member.key] = text
            }
        }
        let templates: MessageTemplates
        do {
            templates = try MessageTemplates(overrides: overrides)
        } catch {
            throw JSONShapeError(
                path: path.appending("templates").appending(error.name),
                expected: "a valid Mustache template (\(error.message))"
            )
        }
        var known = [
            "name", "type", "send_resolved", "rate_limit", "timeout", "ca_file", "cert_file", "key_file",
            "insecure_skip_verify", "templates",
        ]
        let kind: Kind
        switch type {
        case "webhook":
            let url = try KeawatchConfig.secret(&reader, "url", directory: directory, sources: sources, required: true)!
            try KeawatchConfig.validateURL(
                url.value,
                at: path.appending("url"),
                schemes: ["http", "https"],
                secret: true
            )
            var headers: [(name: String, value: String)] = []
            if let value = reader.value("headers") {
                let headerReader = try JSONObjectReader(value, at: path.appending("headers"))
                for member in headerReader.members {
                    // Scalars, not Characters: "\r\n" is one Character and would pass a check for "\n".
                    let tokenCharacters = "!#$%&'*+-.^_`|~"
                    guard
                        !member.key.isEmpty,
                        member.key.unicodeScalars.allSatisfy({
                            $0.isASCII
                                && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                                    || tokenCharacters.unicodeScalars.contains($0))
                        }),
                        let text = member.value.stringValue,
                        !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7f })
                    else {
                        throw JSONShapeError(
                            path: headerReader.path.appending(member.key),
                            expected: "a header name of letters, digits and !#$%&'*+-.^_`|~ with a single-line value "
                                + "(no CR, LF or other control characters)"
                        )
                    }
                    headers.append((member.key, text))
                }
            }
            let secret = try KeawatchConfig.secret(
                &reader,
                "hmac_secret",
                directory: directory,
                sources: sources,
                required: false,
                allowInline: false
            )
            kind = .webhook(
                WebhookSender.Settings(
                    url: url.value,
                    headers: headers,
                    hmacSecret: secret,
                    signatureHeader: try reader.string("signature_header") ?? "X-Keawatch-Signature",
                    timeout: timeout,
                    tls: tls
                )
            )
            known += [
                "url", "url_file", "url_env", "headers", "hmac_secret_file", "hmac_secret_env", "signature_header",
            ]
        case "slack", "teams", "discord", "ntfy":
            let url = try KeawatchConfig.secret(&reader, "url", directory: directory, sources: sources, required: true)!
            try KeawatchConfig.validateURL(
                url.value,
                at: path.appending("url"),
                schemes: ["http", "https"],
                secret: true
            )
            let service: ServiceReceiver.Kind =
                switch type {
                case "slack": .slack
                case "teams": .teams
                case "discord": .discord
                default: .ntfy
                }
            if type == "slack" && minimumInterval == nil { minimumInterval = .seconds(1) }
            kind = .service(service, url: url.value, timeout: timeout, tls: tls)
            known += ["url", "url_file", "url_env"]
        case "pagerduty":
            let key = try KeawatchConfig.secret(
                &reader,
                "routing_key",
                directory: directory,
                sources: sources,
                required: true,
                allowInline: false
            )!
            let url = try reader.string("url") ?? "https://events.pagerduty.com/v2/enqueue"
            try KeawatchConfig.validateURL(url, at: path.appending("url"), schemes: ["http", "https"])
            kind = .service(.pagerDuty(routingKey: key), url: url, timeout: timeout, tls: tls)
            known += ["routing_key_file", "routing_key_env", "url"]
        case "alertmanager":
            guard let members = try reader.strings("urls"), !members.isEmpty else {
                throw JSONShapeError(
                    path: path.appending("urls"),
                    expected: "the URLs of the Alertmanager cluster members"
                )
            }
            for (index, member) in members.enumerated() {
                try KeawatchConfig.validateURL(
                    member,
                    at: path.appending("urls").appending(index),
                    schemes: ["http", "https"]
                )
            }
            let validity =
                try reader.duration("resend_validity", in: .seconds(3)...DurationText.maximum) ?? .seconds(300)
            kind = .service(
                .alertmanager(members: members, resendValidity: validity),
                url: "",
                timeout: timeout,
                tls: tls
            )
            known += ["urls", "resend_validity"]
        default:  // email
            let smtpURL = try reader.requiredString("smtp_url")
            try KeawatchConfig.validateURL(smtpURL, at: path.appending("smtp_url"), schemes: ["smtp", "smtps"])
            let startTLSName =
                try reader.string("starttls") ?? (smtpURL.lowercased().hasPrefix("smtps") ? "none" : "required")
            guard let startTLS = MailEnvelope.StartTLS(rawValue: startTLSName) else {
                throw JSONShapeError(
                    path: path.appending("starttls"),
                    expected: "required, opportunistic or none",
                    found: "\"\(startTLSName)\""
                )
            }
            let from = try reader.requiredString("from")
            guard let to = try reader.strings("to"), !to.isEmpty else {
                throw JSONShapeError(path: path.appending("to"), expected: "a list of at least one address")
            }
            for (index, address) in ([from] + to).enumerated()
            where !address.contains("@") || address.contains(where: \.isNewline) {
                throw JSONShapeError(
                    path: index == 0 ? path.appending("from") : path.appending("to").appending(index - 1),
                    expected: "a mail address",
                    found: "\"\(address)\""
                )
            }
            let credentials = try KeawatchConfig.parseCredentials(&reader, directory: directory, sources: sources)
            kind = .email(
                EmailSettings(
                    smtpURL: smtpURL,
                    startTLS: startTLS,
                    from: from,
                    to: to,
                    credentials: credentials,
                    tls: tls,
                    timeout: timeout
                )
            )
            known += ["smtp_url", "starttls", "from", "to", "username", "password_file", "password_env"]
        }
        try reader.finish(known: known)
        var receiver = ReceiverConfig(
            name: name,
            type: type,
            kind: kind,
            sendResolved: sendResolved,
            minimumInterval: minimumInterval
        )
        receiver.templates = templates
        return receiver
    }
}

import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting

extension ReceiverConfig {
    /// Keys every receiver takes, whatever its type.
    static let commonKeys = [
        "name", "type", "send_resolved", "rate_limit", "timeout", "ca_file", "cert_file", "key_file",
        "insecure_skip_verify", "templates",
    ]

    /// What the common keys say, handed to the parser of the receiver's type.
    struct Common {
        var timeout: Duration
        var tls: TLSOptions
        var directory: String
        var sources: KeawatchConfig.Sources
    }

    /// One receiver, every mistake recorded; nil when it has one.
    static func parse(
        _ value: JSONValue,
        at path: JSONPath,
        directory: String,
        sources: KeawatchConfig.Sources,
        problems: LocatedErrorCollector
    ) -> ReceiverConfig? {
        guard
            var reader = problems.value(or: nil, { () throws(JSONShapeError) in try JSONObjectReader(value, at: path) })
        else { return nil }
        let name = problems.value(or: nil) { () throws(JSONShapeError) in try reader.requiredString("name") }
        let type = problems.value(or: nil) { () throws(JSONShapeError) -> ReceiverType in
            let text = try reader.requiredString("type")
            guard let type = ReceiverType(rawValue: text) else {
                throw JSONShapeError(
                    path: path.appending("type"),
                    expected: ReceiverType.expected,
                    found: "\"\(text)\""
                )
            }
            return type
        }
        let sendResolved = problems.value(or: nil) { () throws(JSONShapeError) in try reader.bool("send_resolved") }
        let rateLimit = problems.value(or: nil) { () throws(JSONShapeError) in try reader.duration("rate_limit") }
        let timeout =
            problems.value(or: nil) { () throws(JSONShapeError) in
                try reader.duration("timeout", in: KeawatchConfig.timeoutRange)
            } ?? .seconds(10)
        let tls = KeawatchConfig.parseTLS(&reader, directory: directory, sources: sources, problems: problems)
        let templates = problems.value(or: nil) { () throws(JSONShapeError) in try parseTemplates(&reader, at: path) }
        // Without a known type its keys are unknown too: only its `type` is named then.
        guard let type else { return nil }
        let common = Common(timeout: timeout, tls: tls, directory: directory, sources: sources)
        let kind = problems.value(or: nil) { () throws(JSONShapeError) -> Kind in
            switch type {
            case .webhook: try parseWebhook(&reader, common)
            case .slack: try parseChat(&reader, .slack, common)
            case .teams: try parseChat(&reader, .teams, common)
            case .discord: try parseChat(&reader, .discord, common)
            case .ntfy: try parseChat(&reader, .ntfy, common)
            case .pagerduty: try parsePagerDuty(&reader, common)
            case .alertmanager: try parseAlertmanager(&reader, common)
            case .email: try parseEmail(&reader, common, problems: problems)
            }
        }
        problems.rejectUnknownKeys(reader, known: commonKeys + type.keys)
        guard let name, let kind, let templates else { return nil }
        var receiver = ReceiverConfig(
            name: name,
            type: type.rawValue,
            kind: kind,
            sendResolved: sendResolved ?? true,
            // Slack allows about one message a second.
            minimumInterval: rateLimit ?? (type == .slack ? .seconds(1) : nil)
        )
        receiver.templates = templates
        return receiver
    }

    /// `templates`: overrides of the default Mustache templates, each checked to parse.
    private static func parseTemplates(
        _ reader: inout JSONObjectReader,
        at path: JSONPath
    ) throws(JSONShapeError) -> MessageTemplates {
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
        do {
            return try MessageTemplates(overrides: overrides)
        } catch {
            throw JSONShapeError(
                path: path.appending("templates").appending(error.name),
                expected: "a valid Mustache template (\(error.message))"
            )
        }
    }

    /// `url`, `url_file` or `url_env` (a webhook URL often carries its token): never echoed.
    private static func secretURL(_ reader: inout JSONObjectReader, _ common: Common) throws(JSONShapeError) -> String {
        let url = try KeawatchConfig.secret(
            &reader,
            "url",
            directory: common.directory,
            sources: common.sources,
            required: true
        )!
        try KeawatchConfig.validateURL(
            url.value,
            at: reader.path.appending("url"),
            schemes: ["http", "https"],
            secret: true
        )
        return url.value
    }

    private static func parseWebhook(_ reader: inout JSONObjectReader, _ common: Common) throws(JSONShapeError) -> Kind
    {
        let url = try secretURL(&reader, common)
        var headers: [(name: String, value: String)] = []
        if let value = reader.value("headers") {
            let headerReader = try JSONObjectReader(value, at: reader.path.appending("headers"))
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
            directory: common.directory,
            sources: common.sources,
            required: false,
            allowInline: false
        )
        return .webhook(
            WebhookSender.Settings(
                url: url,
                headers: headers,
                hmacSecret: secret,
                signatureHeader: try reader.string("signature_header") ?? "X-Keawatch-Signature",
                timeout: common.timeout,
                tls: common.tls
            )
        )
    }

    /// Slack, Teams, Discord and ntfy: a (secret) webhook URL and the service's own format.
    private static func parseChat(
        _ reader: inout JSONObjectReader,
        _ service: ServiceReceiver.Kind,
        _ common: Common
    ) throws(JSONShapeError) -> Kind {
        .service(service, url: try secretURL(&reader, common), timeout: common.timeout, tls: common.tls)
    }

    private static func parsePagerDuty(
        _ reader: inout JSONObjectReader,
        _ common: Common
    ) throws(JSONShapeError) -> Kind {
        let key = try KeawatchConfig.secret(
            &reader,
            "routing_key",
            directory: common.directory,
            sources: common.sources,
            required: true,
            allowInline: false
        )!
        let url = try reader.string("url") ?? "https://events.pagerduty.com/v2/enqueue"
        try KeawatchConfig.validateURL(url, at: reader.path.appending("url"), schemes: ["http", "https"])
        return .service(.pagerDuty(routingKey: key), url: url, timeout: common.timeout, tls: common.tls)
    }

    private static func parseAlertmanager(
        _ reader: inout JSONObjectReader,
        _ common: Common
    ) throws(JSONShapeError) -> Kind {
        guard let members = try reader.strings("urls"), !members.isEmpty else {
            throw JSONShapeError(
                path: reader.path.appending("urls"),
                expected: "the URLs of the Alertmanager cluster members"
            )
        }
        for (index, member) in members.enumerated() {
            try KeawatchConfig.validateURL(
                member,
                at: reader.path.appending("urls").appending(index),
                schemes: ["http", "https"]
            )
        }
        let validity =
            try reader.duration("resend_validity", in: .seconds(3)...DurationText.maximum) ?? .seconds(300)
        return .service(
            .alertmanager(members: members, resendValidity: validity),
            url: "",
            timeout: common.timeout,
            tls: common.tls
        )
    }

    private static func parseEmail(
        _ reader: inout JSONObjectReader,
        _ common: Common,
        problems: LocatedErrorCollector
    ) throws(JSONShapeError) -> Kind {
        let path = reader.path
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
        let credentials = KeawatchConfig.parseCredentials(
            &reader,
            directory: common.directory,
            sources: common.sources,
            problems: problems
        )
        return .email(
            EmailSettings(
                smtpURL: smtpURL,
                startTLS: startTLS,
                from: from,
                to: to,
                credentials: credentials,
                tls: common.tls,
                timeout: common.timeout
            )
        )
    }
}

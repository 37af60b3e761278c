import Foundation
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import Testing

@Suite struct ReceiverConfigTests {
    static let token = "T000-B000-XXXSECRETXXX"

    static let sampleNotification = AlertNotification(
        receiver: "chat",
        groupKey: "g",
        groupLabels: [],
        items: [
            .init(
                alert: Alert(
                    rule: "KeaHAPartnerDown",
                    severity: .critical,
                    labels: [],
                    summary: "s",
                    description: "",
                    fingerprint: "f",
                    episode: "e",
                    startsAt: Date(timeIntervalSince1970: 0)
                ),
                status: .firing
            )
        ],
        idempotencyKey: "k"
    )

    func load(
        _ receivers: String,
        files: [String: String] = [:],
        environment: [String: String] = [:]
    ) throws(LocatedErrors) -> KeawatchConfig {
        var all = files
        all["/etc/keawatch/config.json"] =
            "{\"targets\": [{\"name\": \"k\", \"url\": \"http://h/\"}], \"receivers\": [\(receivers)]}"
        return try KeawatchConfig.load(
            file: "/etc/keawatch/config.json",
            sources: ConfigLoadingTests.sources(all, environment: environment)
        )
    }

    @Test func everyReceiverTypeLoadsWithSecretsFromFilesOrEnvironment() throws {
        let config = try load(
            """
            {"name": "hook", "type": "webhook", "url": "https://hooks.example.test/in", "headers": {"X-Team": "dhcp"},
             "hmac_secret_file": "hook.key"},
            {"name": "chat", "type": "slack", "url_env": "SLACK_URL"},
            {"name": "teams", "type": "teams", "url": "https://example.test/workflows/1"},
            {"name": "discord", "type": "discord", "url": "https://discord.test/api/webhooks/1/abc"},
            {"name": "ntfy", "type": "ntfy", "url": "https://ntfy.example.test/kea"},
            {"name": "pager", "type": "pagerduty", "routing_key_env": "PD_KEY"},
            {"name": "am", "type": "alertmanager", "urls": ["http://am-1:9093", "http://am-2:9093"]},
            {"name": "mail", "type": "email", "smtp_url": "smtp://mail.example.test:587", "from": "keawatch@example.test",
             "to": ["oncall@example.test"], "username": "keawatch", "password_env": "SMTP_PASSWORD", "send_resolved": false}
            """,
            files: ["/etc/keawatch/hook.key": "k3y\n"],
            environment: [
                "SLACK_URL": "https://hooks.slack.test/services/\(Self.token)", "PD_KEY": "R0UTING",
                "SMTP_PASSWORD": "pw",
            ]
        )
        #expect(
            config.receivers.map(\.type) == [
                "webhook", "slack", "teams", "discord", "ntfy", "pagerduty", "alertmanager", "email",
            ]
        )
        #expect(config.receivers[1].minimumInterval == .seconds(1))  // Slack: about one message a second
        #expect(config.receivers[1].destination == "https://hooks.slack.test/…")
        #expect(!config.receivers.map(\.destination).joined().contains(Self.token))
        guard case .webhook(let hook) = config.receivers[0].kind, case .email(let mail) = config.receivers[7].kind
        else {
            Issue.record("wrong kinds")
            return
        }
        #expect(hook.hmacSecret == Secret("k3y"))
        #expect(hook.headers.map(\.name) == ["X-Team"])
        #expect(mail.startTLS == .required)
        #expect(mail.credentials?.password == Secret("pw"))
        #expect(config.receivers[7].sendResolved == false)
    }

    @Test(arguments: [
        (
            "{\"name\": \"x\", \"type\": \"sms\"}",
            "$.receivers[0].type: expected one of webhook, slack, teams, discord, ntfy, pagerduty, alertmanager, email, found \"sms\""
        ),
        (
            "{\"name\": \"x\", \"type\": \"slack\"}",
            "$.receivers[0].url: expected one of url, url_file, url_env, found nothing"
        ),
        (
            "{\"name\": \"x\", \"type\": \"webhook\", \"url\": \"ftp://h/\"}",
            "$.receivers[0].url: expected a URL with scheme http or https and a port from 1 to 65535, found a URL with scheme \"ftp\" (the rest is not shown: it is a secret)"
        ),
        (
            "{\"name\": \"x\", \"type\": \"pagerduty\", \"routing_key_file\": \"missing.key\"}",
            "$.receivers[0].routing_key_file: expected a readable file, found \"/etc/keawatch/missing.key\" (no such file)"
        ),
        (
            "{\"name\": \"x\", \"type\": \"email\", \"smtp_url\": \"smtp://m/\", \"from\": \"a@b\", \"to\": [\"c@d\"], \"starttls\": \"maybe\"}",
            "$.receivers[0].starttls: expected required, opportunistic or none, found \"maybe\""
        ),
        (
            "{\"name\": \"x\", \"type\": \"email\", \"smtp_url\": \"http://m/\", \"from\": \"a@b\", \"to\": [\"c@d\"]}",
            "$.receivers[0].smtp_url: expected a URL with scheme smtp or smtps and a port from 1 to 65535, found \"http://m/\""
        ),
        (
            "{\"name\": \"x\", \"type\": \"alertmanager\", \"urls\": []}",
            "$.receivers[0].urls: expected the URLs of the Alertmanager cluster members"
        ),
        (
            "{\"name\": \"x\", \"type\": \"ntfy\", \"url\": \"https://n/t\", \"priority\": 5}",
            "$.receivers[0].priority: expected no such key (known keys: ca_file, cert_file, insecure_skip_verify, key_file, name, rate_limit, send_resolved, templates, timeout, type, url, url_env, url_file)"
        ),
        (
            "{\"name\": \"x\", \"type\": \"slack\", \"url\": \"https://a/\"}, {\"name\": \"x\", \"type\": \"slack\", \"url\": \"https://b/\"}",
            "$.receivers[1].name: expected a name no other receiver has, found \"x\""
        ),
    ])
    func receiverMistakesNameThePathAndWhatWasExpected(receivers: String, message: String) {
        do {
            _ = try load(receivers)
            Issue.record("accepted: \(receivers)")
        } catch {
            #expect(error.description == "/etc/keawatch/config.json: " + message)
        }
    }
}

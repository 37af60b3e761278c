import Foundation
import KeawatchCurl
import KeawatchNotify
import KeawatchRouting
import KeawatchTestSupport
import Testing

/// Mail through libcurl to a real SMTP server (aiosmtpd) on loopback.
@Suite struct MailDeliveryTests {
    let transport = CurlTransport(maxConcurrentTransfers: 4)
    static let credentials = Credentials(username: "keawatch", password: Secret("mail-s3cret"))

    func message(
        _ subject: String = "[FIRING:critical] KeaHAPartnerDown server1",
        inReplyTo: String? = nil
    ) -> MailMessage {
        MailMessage(
            from: "keawatch@example.test",
            to: ["oncall@example.test", "dhcp-team@example.test"],
            subject: subject,
            text: "server1 has been in partner-down for 2m: it serves alone.\n\nLabels: target=server1",
            html: "<p><b>server1</b> has been in partner-down for 2m</p>",
            date: Date(timeIntervalSince1970: 1_762_975_075),
            messageID: "e90ff0a79d187beb-1762975075120\(inReplyTo == nil ? "" : ".resolved")@keawatch",
            inReplyTo: inReplyTo
        )
    }

    func sender(
        _ server: SMTPServer,
        scheme: String = "smtp",
        startTLS: MailEnvelope.StartTLS,
        ca: TLSCertificate? = nil,
        credentials: Credentials? = nil
    ) -> MailSender {
        MailSender(
            transport: transport,
            settings: EmailSettings(
                smtpURL: "\(scheme)://127.0.0.1:\(server.port)",
                startTLS: startTLS,
                from: "keawatch@example.test",
                to: ["oncall@example.test", "dhcp-team@example.test"],
                credentials: credentials,
                tls: TLSOptions(caFile: ca?.certificate),
                timeout: .seconds(10)
            )
        )
    }

    @Test func plainSubmissionDeliversAWellFormedMessageToEveryRecipient() async throws {
        let server = try await SMTPServer.start()
        let outcome = await sender(server, startTLS: .none).send(message())
        guard case .delivered = outcome else {
            Issue.record("not delivered: \(outcome)")
            return
        }
        let delivered = try #require(server.deliveredMessages.first)
        #expect(delivered.contains("Subject: [FIRING:critical] KeaHAPartnerDown server1\r\n"))
        #expect(delivered.contains("Message-ID: <e90ff0a79d187beb-1762975075120@keawatch>\r\n"))
        #expect(delivered.contains("Date: Wed, 12 Nov 2025 19:17:55 +0000\r\n"))
        #expect(delivered.contains("Content-Type: multipart/alternative;"))
        #expect(delivered.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(delivered.contains("Content-Type: text/html; charset=utf-8"))
        let data = try #require(server.log.first { $0["command"] as? String == "DATA" })
        #expect(data["to"] as? [String] == ["oncall@example.test", "dhcp-team@example.test"])
    }

    @Test func startTLSWithAuthEncryptsThenAuthenticates() async throws {
        let certificate = try await TLSCertificate.make(subjectAltName: "IP:127.0.0.1")
        let server = try await SMTPServer.start(.startTLS(certificate), auth: ("keawatch", "mail-s3cret"))
        let outcome = await sender(server, startTLS: .required, ca: certificate, credentials: Self.credentials).send(
            message()
        )
        guard case .delivered = outcome else {
            Issue.record("not delivered: \(outcome)")
            return
        }
        let data = try #require(server.log.first { $0["command"] as? String == "DATA" })
        #expect(data["tls"] as? Bool == true)
        #expect(data["authenticated"] as? Bool == true)
    }

    @Test func implicitTLSDelivers() async throws {
        let certificate = try await TLSCertificate.make(subjectAltName: "IP:127.0.0.1")
        let server = try await SMTPServer.start(.implicitTLS(certificate), auth: ("keawatch", "mail-s3cret"))
        let outcome = await sender(
            server,
            scheme: "smtps",
            startTLS: .none,
            ca: certificate,
            credentials: Self.credentials
        ).send(message())
        guard case .delivered = outcome else {
            Issue.record("not delivered: \(outcome)")
            return
        }
        #expect(server.log.first { $0["command"] as? String == "DATA" }?["tls"] as? Bool == true)
    }

    @Test func requiredStartTLSAgainstAServerWithoutItFailsAndNothingLeavesInClear() async throws {
        let server = try await SMTPServer.start(.plain)
        // First a legitimate clear-text send, so that a cached plain connection would exist…
        guard case .delivered = await sender(server, startTLS: .none).send(message()) else {
            Issue.record("the clear-text send failed")
            return
        }
        // …then one that requires TLS: it must fail, not ride the earlier connection.
        let outcome = await sender(server, startTLS: .required).send(message("second"))
        guard case .retry(let reason, _) = outcome else {
            Issue.record("expected a TLS failure, got \(outcome)")
            return
        }
        #expect(reason.contains("TLS"))
        #expect(server.commands.filter { $0 == "MAIL" }.count == 1)
        #expect(server.deliveredMessages.count == 1)
        #expect(!server.deliveredMessages.contains { $0.contains("Subject: second") })
    }

    @Test func credentialsWithAServerOfferingNoAuthAreRefusedBeforeSending() async throws {
        let server = try await SMTPServer.start(.plain)
        let outcome = await sender(server, startTLS: .opportunistic, credentials: Self.credentials).send(message())
        guard case .permanent(let reason) = outcome else {
            Issue.record("expected a permanent failure, got \(outcome)")
            return
        }
        #expect(reason.contains("offers no AUTH"))
        #expect(!reason.contains("mail-s3cret"))
        #expect(!server.commands.contains("MAIL"))
    }

    @Test func wrongPasswordIsPermanentAndNeverEchoed() async throws {
        let certificate = try await TLSCertificate.make(subjectAltName: "IP:127.0.0.1")
        let server = try await SMTPServer.start(.startTLS(certificate), auth: ("keawatch", "other-password"))
        let outcome = await sender(server, startTLS: .required, ca: certificate, credentials: Self.credentials).send(
            message()
        )
        guard case .permanent(let reason) = outcome else {
            Issue.record("expected a permanent failure, got \(outcome)")
            return
        }
        #expect(!reason.contains("mail-s3cret"))
        #expect(server.deliveredMessages.isEmpty)
    }

    @Test func aResolveMailRepliesToItsFiringMail() async throws {
        let server = try await SMTPServer.start()
        let firing = message()
        let resolved = message("[RESOLVED] KeaHAPartnerDown server1", inReplyTo: firing.messageID)
        for mail in [firing, resolved] {
            guard case .delivered = await sender(server, startTLS: .none).send(mail) else {
                Issue.record("not delivered")
                return
            }
        }
        let second = try #require(server.deliveredMessages.last)
        #expect(second.contains("In-Reply-To: <e90ff0a79d187beb-1762975075120@keawatch>\r\n"))
        #expect(second.contains("References: <e90ff0a79d187beb-1762975075120@keawatch>\r\n"))
    }
}

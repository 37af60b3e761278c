import Foundation
import KeawatchTestSupport
import Testing

/// `keawatch notify-test` (the built binary) against real receivers on loopback.
@Suite struct NotifyTestCommandTests {
    static let secretToken = "XXXSECRETTOKENXXX"

    func writeConfig(_ receivers: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString).json")
            .path
        try "{\"targets\": [{\"name\": \"k\", \"url\": \"http://127.0.0.1:9/\"}], \"receivers\": [\(receivers)]}"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aWebhookReceiverGetsAClearlyMarkedTestAndTheTokenStaysSecret() async throws {
        let stub = try await HTTPStub.start()
        let config = try writeConfig("{\"name\": \"hook\", \"type\": \"webhook\", \"url_env\": \"HOOK_URL\"}")
        let run = try ExternalProcess(
            Paths.keawatchBinary,
            ["notify-test", "--config", config, "--receiver", "hook"],
            environment: ["HOOK_URL": stub.url("/status/200?token=\(Self.secretToken)")]
        )
        #expect(try await run.waitForExit() == 0)
        #expect(run.output.contains("hook (webhook → http://127.0.0.1:\(stub.port)/…): delivered: HTTP 200"))
        #expect(!(run.output + run.errorOutput).contains(Self.secretToken))
        let body = try #require(stub.requests.first?["body"] as? String)
        #expect(body.contains("KeawatchTestNotification"))
        #expect(body.contains("please ignore"))
    }

    @Test func anEmailReceiverSendsARealMail() async throws {
        let certificate = try await TLSCertificate.make(subjectAltName: "IP:127.0.0.1")
        let server = try await SMTPServer.start(.startTLS(certificate), auth: ("keawatch", "mail-pw"))
        let config = try writeConfig(
            """
            {"name": "mail", "type": "email", "smtp_url": "smtp://127.0.0.1:\(server.port)", "from": "keawatch@example.test",
             "to": ["oncall@example.test"], "username": "keawatch", "password_env": "SMTP_PW", "ca_file": "\(certificate.certificate)"}
            """
        )
        let run = try ExternalProcess(
            Paths.keawatchBinary,
            ["notify-test", "--config", config, "--receiver", "mail"],
            environment: ["SMTP_PW": "mail-pw"]
        )
        #expect(try await run.waitForExit() == 0, "\(run.errorOutput)")
        let mail = try #require(server.deliveredMessages.first)
        #expect(mail.contains("Subject: [FIRING:1] KeawatchTestNotification"))
        #expect(!(run.output + run.errorOutput).contains("mail-pw"))
    }

    @Test func anUnreachableReceiverExitsOneWithTheReason() async throws {
        let config = try writeConfig("{\"name\": \"hook\", \"type\": \"webhook\", \"url\": \"http://127.0.0.1:9/in\"}")
        let run = try ExternalProcess(Paths.keawatchBinary, ["notify-test", "--config", config, "--receiver", "hook"])
        #expect(try await run.waitForExit() == 1)
        #expect(run.errorOutput.contains("connection refused"))
        let unknown = try ExternalProcess(
            Paths.keawatchBinary,
            ["notify-test", "--config", config, "--receiver", "nope"]
        )
        #expect(try await unknown.waitForExit() == 1)
        #expect(unknown.errorOutput.contains("no receiver named \"nope\""))
    }
}

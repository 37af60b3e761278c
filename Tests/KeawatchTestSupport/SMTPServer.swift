package import Foundation

/// The real SMTP server of `Tests/Support/smtp_server.py` (aiosmtpd): plain, STARTTLS, implicit
/// TLS, with or without AUTH. Every command and message it sees is logged for assertions.
package final class SMTPServer: Sendable {
    package let process: ExternalProcess
    package let port: Int
    package let logFile: URL

    package enum Security: Sendable {
        case plain
        case startTLS(TLSCertificate)
        case implicitTLS(TLSCertificate)
    }

    package static func start(
        _ security: Security = .plain,
        auth: (user: String, password: String)? = nil,
        authInClear: Bool = false
    )
        async throws -> SMTPServer
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keawatch-smtp-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("smtp.jsonl")
        var arguments = [Paths.script("Tests/Support/smtp_server.py"), "--log", log.path]
        switch security {
        case .plain: break
        case .startTLS(let certificate): arguments += ["--starttls", certificate.certificate, certificate.key]
        case .implicitTLS(let certificate): arguments += ["--implicit-tls", certificate.certificate, certificate.key]
        }
        if let auth { arguments += ["--auth", "\(auth.user):\(auth.password)"] }
        if authInClear { arguments.append("--auth-in-clear") }
        let process = try ExternalProcess("python3", arguments, directory: directory)
        let port = Int(try await process.waitForLine(startingWith: "listening", timeout: .seconds(60))) ?? 0
        return SMTPServer(process: process, port: port, logFile: log)
    }

    private init(process: ExternalProcess, port: Int, logFile: URL) {
        self.process = process
        self.port = port
        self.logFile = logFile
    }

    /// Every SMTP command (and delivered message) the server saw, in order.
    package var log: [[String: Any]] {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    package var deliveredMessages: [String] {
        log.filter { $0["command"] as? String == "DATA" }.compactMap { $0["message"] as? String }
    }

    package var commands: [String] {
        log.compactMap { $0["command"] as? String }
    }
}

package import Foundation

/// The HTTP(S) server of `Tests/Support/http_stub.py`: one behaviour per path (`/ok`, `/slow`,
/// `/huge`, `/not-json`, `/wrong-shape`, `/kea-error`, `/http-400`, `/auth`, `/close`, `/status/N`).
package final class HTTPStub: Sendable {
    package let process: ExternalProcess
    package let port: Int
    package let scheme: String
    package let logFile: URL

    package static func start(tlsCertificate: TLSCertificate? = nil) async throws -> HTTPStub {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keawatch-http-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("requests.jsonl")
        var arguments = [Paths.script("Tests/Support/http_stub.py"), "--log", log.path]
        if let tlsCertificate {
            arguments += ["--tls-cert", tlsCertificate.certificate, "--tls-key", tlsCertificate.key]
        }
        let process = try ExternalProcess("python3", arguments, directory: directory)
        let port = Int(try await process.waitForLine(startingWith: "listening")) ?? 0
        return HTTPStub(process: process, port: port, scheme: tlsCertificate == nil ? "http" : "https", logFile: log)
    }

    private init(process: ExternalProcess, port: Int, scheme: String, logFile: URL) {
        self.process = process
        self.port = port
        self.scheme = scheme
        self.logFile = logFile
    }

    package func url(_ path: String, host: String = "127.0.0.1") -> String {
        "\(scheme)://\(host):\(port)\(path)"
    }

    /// Switches `/flaky/NAME` between answering 503 (down) and 200.
    package func setDown(_ name: String, _ down: Bool) {
        let flag = logFile.deletingLastPathComponent().appendingPathComponent("down-\(name)")
        if down {
            _ = FileManager.default.createFile(atPath: flag.path, contents: Data())
        } else {
            try? FileManager.default.removeItem(at: flag)
        }
    }

    /// Every request the server received so far, as logged.
    package var requests: [[String: Any]] {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

/// A throwaway self-signed certificate made with the openssl CLI.
package struct TLSCertificate: Sendable {
    package var certificate: String
    package var key: String

    /// - Parameter subjectAltName: e.g. `IP:127.0.0.1` or `DNS:wrong.example`.
    package static func make(subjectAltName: String) async throws -> TLSCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keawatch-tls-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = try ExternalProcess(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=keawatch-test",
                "-addext", "subjectAltName=\(subjectAltName)", "-keyout", key, "-out", certificate,
            ],
            directory: directory
        )
        guard try await openssl.waitForExit() == 0 else { throw TestSupportError("openssl: \(openssl.errorOutput)") }
        return TLSCertificate(certificate: certificate, key: key)
    }
}

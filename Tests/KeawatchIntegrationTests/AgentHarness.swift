import Foundation
import KeawatchCurl
import KeawatchTestSupport
import Testing

/// A `keawatch run` (the built binary) in its own directory, with its config, rules, state and
/// log, and a libcurl client for its endpoint.
final class AgentHarness: Sendable {
    let directory: URL
    let listen: String
    let token: String?
    let process: ExternalProcess

    static let unreachableRules = """
        {"rules": [
          {"name": "KeaServerUnreachable", "kind": "unreachable", "severity": "critical", "for": "1s",
           "summary": "{{target}} cannot be polled ({{value}})"}
        ]}
        """

    /// `configBody` is the JSON object's members after `{`, without `listen`/`state_dir`/`rules`.
    init(
        listen: String,
        token: String? = nil,
        rules: String = AgentHarness.unreachableRules,
        ruleFiles: [String]? = nil,
        configBody: String,
        environment: [String: String] = [:]
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.listen = listen
        self.token = token
        try rules.write(to: directory.appendingPathComponent("rules.json"), atomically: true, encoding: .utf8)
        if let token {
            try token.write(to: directory.appendingPathComponent("api-token"), atomically: true, encoding: .utf8)
        }
        try Self.config(listen: listen, token: token != nil, rules: ruleFiles ?? ["rules.json"], body: configBody)
            .write(to: directory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        process = try Self.start(directory, environment: environment)
    }

    /// `rules`: the rule files or directories (`rules.json` is the one written from `rules`).
    static func config(listen: String, token: Bool, rules: [String] = ["rules.json"], body: String) -> String {
        """
        {"listen": "\(listen)", "state_dir": "state", "rules": [\(rules.map { "\"\($0)\"" }.joined(separator: ", "))],
         \(token ? "\"api_token_file\": \"api-token\"," : "")
         \(body)}
        """
    }

    static func start(_ directory: URL, environment: [String: String]) throws -> ExternalProcess {
        try ExternalProcess(
            Paths.keawatchBinary,
            ["run", "--config", directory.appendingPathComponent("config.json").path, "--log-level", "info"],
            environment: environment
        )
    }

    var configPath: String { directory.appendingPathComponent("config.json").path }

    func rewriteConfig(_ text: String) throws {
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// GET (or another method) on the agent's endpoint; the status and the body as text.
    func request(
        _ path: String,
        method: CurlRequest.HTTPMethod = .get,
        body: String = "",
        token overriding: String? = nil
    ) async throws -> (status: Int, body: String) {
        var headers: [String] = []
        if let token = overriding ?? token { headers.append("Authorization: Bearer \(token)") }
        if method == .post { headers.append("Content-Type: application/json") }
        let response = try await CurlTransport(maxConcurrentTransfers: 1).perform(
            CurlRequest(
                url: "http://\(listen)\(path)",
                payload: .http(method: method, headers: headers, body: Array(body.utf8)),
                timeout: .seconds(5)
            )
        )
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// Waits until the endpoint answers `/healthz` at all (the agent is up).
    func waitUntilListening(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await request("/healthz")) != nil { return }
            guard process.isRunning else { throw TestSupportError("agent exited: \(process.errorOutput)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError("agent did not listen on \(listen): \(process.errorOutput)")
    }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

extension HTTPStub {
    /// The webhook bodies received on paths starting with `prefix`, parsed.
    func webhooks(_ prefix: String) -> [[String: Any]] {
        requests.filter { ($0["path"] as? String)?.hasPrefix(prefix) == true }.compactMap {
            ($0["body"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }
}

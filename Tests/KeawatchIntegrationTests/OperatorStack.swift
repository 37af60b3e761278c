import Foundation
import KeawatchCurl
import KeawatchTestSupport

/// The real programs of an operator's stack, started by the tests on loopback addresses of this
/// checkout's block (`KW_TEST_NET`, default 127.0.12): Debian's Prometheus, Alertmanager (with
/// amtool) and Chromium, and a PagerDuty Events v2 stand-in.
enum OperatorStack {
    static let net = ProcessInfo.processInfo.environment["KW_TEST_NET"] ?? "127.0.12"
    static func address(_ host: Int, _ port: Int) -> String { "\(net).\(host):\(port)" }

    /// GET on a loopback URL; the status and body.
    static func get(_ url: String, headers: [String] = []) async throws -> (status: Int, body: Data) {
        let response = try await CurlTransport(maxConcurrentTransfers: 1).perform(
            CurlRequest(url: url, payload: .http(method: .get, headers: headers, body: []), timeout: .seconds(10))
        )
        return (response.status, Data(response.body))
    }

    static func json(_ url: String) async throws -> Any {
        let (status, body) = try await get(url)
        guard status == 200 else {
            throw TestSupportError("GET \(url): HTTP \(status): \(String(decoding: body, as: UTF8.self))")
        }
        return try JSONSerialization.jsonObject(with: body)
    }

    static func directory(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func waitUntilAnswering(
        _ url: String,
        _ process: ExternalProcess,
        timeout: Duration = .seconds(30)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let (status, _) = try? await get(url), status == 200 { return }
            guard process.isRunning else { throw TestSupportError("\(url): exited: \(process.errorOutput)") }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestSupportError("\(url) did not answer within \(timeout): \(process.errorOutput.suffix(2000))")
    }
}

/// Debian's `prometheus`, scraping keawatch agents every second into a throwaway storage directory.
final class PrometheusServer: Sendable {
    let process: ExternalProcess
    let listen: String

    init(listen: String, agents: [String], tokenFile: String?) async throws {
        let directory = try OperatorStack.directory("prometheus")
        let authorization =
            tokenFile.map { "    authorization: {type: Bearer, credentials_file: \"\($0)\"}\n" } ?? ""
        let targets = agents.map { "\"\($0)\"" }.joined(separator: ", ")
        let config = """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: keawatch
                scrape_timeout: 900ms
            \(authorization)    static_configs: [{targets: [\(targets)]}]

            """
        let file = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        self.listen = listen
        process = try ExternalProcess(
            "prometheus",
            [
                "--config.file=\(file.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=\(listen)", "--storage.tsdb.retention.time=1d", "--log.level=warn",
            ],
            directory: directory
        )
        try await OperatorStack.waitUntilAnswering("http://\(listen)/-/ready", process)
    }

    /// A range query over the last `seconds`: the result's series (`metric` labels and `values`).
    func range(_ query: String, seconds: Int, step: Int = 1) async throws -> [[String: Any]] {
        let end = Date().timeIntervalSince1970
        let url =
            "http://\(listen)/api/v1/query_range?query=\(Self.encoded(query))&start=\(end - Double(seconds))&end=\(end)&step=\(step)"
        let document = try await OperatorStack.json(url) as? [String: Any]
        guard document?["status"] as? String == "success" else {
            throw TestSupportError("query \(query) failed: \(String(describing: document))")
        }
        return ((document?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
    }

    /// An instant query now: each series' labels and value.
    func instant(_ query: String) async throws -> [(labels: [String: String], value: Double)] {
        let document =
            try await OperatorStack.json("http://\(listen)/api/v1/query?query=\(Self.encoded(query))") as? [String: Any]
        let result = ((document?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
        return result.map {
            (
                ($0["metric"] as? [String: String]) ?? [:],
                Double((($0["value"] as? [Any])?.last as? String) ?? "") ?? .nan
            )
        }
    }

    static func encoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// One member of a real Alertmanager cluster (Debian's `prometheus-alertmanager`), gossiping with
/// its peers over loopback, notifying a webhook.
final class AlertmanagerMember: Sendable {
    let process: ExternalProcess
    let listen: String

    init(listen: String, cluster: String, peers: [String], webhook: String) async throws {
        let directory = try OperatorStack.directory("alertmanager")
        // Only critical alerts page (keawatch's info change events and warnings go nowhere), one
        // group per alert name; short waits so that the test runs in seconds.
        let config = """
            route:
              receiver: blackhole
              group_by: [alertname]
              group_wait: 1s
              group_interval: 2s
              repeat_interval: 4h
              routes:
                - receiver: oncall
                  matchers: ['severity="critical"']
            receivers:
              - name: blackhole
              - name: oncall
                webhook_configs: [{url: "\(webhook)", send_resolved: true}]

            """
        let file = directory.appendingPathComponent("alertmanager.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        self.listen = listen
        process = try ExternalProcess(
            "prometheus-alertmanager",
            [
                "--config.file=\(file.path)", "--storage.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=\(listen)", "--cluster.listen-address=\(cluster)",
                "--cluster.advertise-address=\(cluster)", "--cluster.peer-timeout=3s",
                "--cluster.gossip-interval=100ms", "--cluster.pushpull-interval=2s", "--log.level=info",
            ] + peers.map { "--cluster.peer=\($0)" },
            directory: directory
        )
        try await OperatorStack.waitUntilAnswering("http://\(listen)/-/ready", process)
    }

    /// How many peers this member's cluster status lists (itself included).
    func peerCount() async throws -> Int {
        let status = try await OperatorStack.json("http://\(listen)/api/v2/status") as? [String: Any]
        return ((status?["cluster"] as? [String: Any])?["peers"] as? [Any])?.count ?? 0
    }
}

/// `Tests/Support/pagerduty_standin.py`: PagerDuty Events v2 with deduplication by `dedup_key`.
final class PagerDutyStandIn: Sendable {
    let process: ExternalProcess
    let port: Int

    init() async throws {
        process = try ExternalProcess("python3", [Paths.script("Tests/Support/pagerduty_standin.py")])
        port = Int(try await process.waitForLine(startingWith: "listening")) ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)/v2/enqueue" }

    var incidents: [[String: Any]] {
        get async throws {
            (try await OperatorStack.json("http://127.0.0.1:\(port)/incidents") as? [[String: Any]]) ?? []
        }
    }
}

/// Debian's Chromium, headless, as a person's browser: the DOM after loading, and a screenshot.
enum Chromium {
    static func run(_ arguments: [String]) async throws -> String {
        let directory = try OperatorStack.directory("chromium")
        let process = try ExternalProcess(
            "chromium",
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--disable-component-update",
                "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            ] + arguments,
            directory: directory
        )
        guard try await process.waitForExit(timeout: .seconds(90)) == 0 else {
            throw TestSupportError("chromium \(arguments): \(process.errorOutput.suffix(2000))")
        }
        return process.output
    }

    static func dom(_ url: String) async throws -> String {
        try await run(["--dump-dom", url])
    }

    /// Saves a full-page screenshot at `path`.
    static func screenshot(_ url: String, to path: String) async throws {
        _ = try await run(["--window-size=1280,1600", "--hide-scrollbars", "--screenshot=\(path)", url])
    }

    /// Where screenshots are kept after the run (`test-artifacts/` in the checkout).
    static func artifact(_ name: String) throws -> String {
        let directory = Paths.packageRoot.appendingPathComponent("test-artifacts")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }
}

/// Debian's `amtool` pointed at a keawatch agent, the API token passed in its HTTP config file.
struct Amtool: Sendable {
    let url: String
    let httpConfig: String

    init(url: String, token: String) throws {
        let directory = try OperatorStack.directory("amtool")
        let file = directory.appendingPathComponent("http.yml")
        try "authorization:\n  type: Bearer\n  credentials: \(token)\n".write(
            to: file,
            atomically: true,
            encoding: .utf8
        )
        self.url = url
        httpConfig = file.path
    }

    /// Runs one amtool command; its standard output (throws with its error output on failure).
    func run(_ arguments: [String]) async throws -> String {
        let process = try ExternalProcess(
            "amtool",
            ["--alertmanager.url=\(url)", "--http.config.file=\(httpConfig)", "--no-version-check"] + arguments
        )
        guard try await process.waitForExit(timeout: .seconds(30)) == 0 else {
            throw TestSupportError("amtool \(arguments.joined(separator: " ")): \(process.errorOutput)")
        }
        return process.output
    }

    func json(_ arguments: [String]) async throws -> [[String: Any]] {
        let output = try await run(arguments + ["-o", "json"])
        return (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]) ?? []
    }
}

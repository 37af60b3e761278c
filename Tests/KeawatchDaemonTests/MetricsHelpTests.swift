import Foundation
import KeawatchDaemon
import Testing

/// `promtool check metrics` (run on the real exposition by the Prometheus integration test) wants
/// a `# HELP` for every metric: every name the agent records has one.
@Suite struct MetricsHelpTests {
    @Test func everyMetricTheAgentRecordsHasHelpText() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/KeawatchDaemon/Metrics")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        let text = try files.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
        let names = Set(
            text.matches(of: #/"((?:kea|keawatch)_[a-z_]+)"/#).map { String($0.output.1) }
        )
        #expect(names.count >= 20)
        for name in names.sorted() {
            #expect(AgentMetrics.help[name] ?? AgentMetrics.poolHelp[name] != nil, "no help text for \(name)")
        }
    }

    @Test func theExpositionHasAHelpLineBeforeEveryType() {
        let metrics = AgentMetrics()
        metrics.recordAlerts(pending: 1, firing: 2, suppressed: 0)
        metrics.recordOutbox(depth: 3, oldest: .seconds(5), deadLetters: 0)
        metrics.recordPairs([(name: "a+b", targets: ["a", "b"])])
        metrics.recordReload(succeeded: true)
        let lines = String(decoding: metrics.render(), as: UTF8.self).split(separator: "\n")
        let types = lines.filter { $0.hasPrefix("# TYPE ") }
        #expect(!types.isEmpty)
        for (index, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
            let name = line.split(separator: " ")[2]
            #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(line)")
        }
        #expect(lines.contains(#"keawatch_pair_info{pair="a+b",target="a"} 1.0"#))
    }
}

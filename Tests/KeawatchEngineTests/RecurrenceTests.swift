import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchRules
import Testing

/// `recurrence` rules (the restart loop): episodes of a condition counted within a window, each too
/// short for any `for`; one alert, resolved once the subject stayed quiet for the settle period.
@Suite struct RecurrenceTests {
    static let loop = """
        {"name": "Loop", "kind": "recurrence", "severity": "critical",
         "when": {"any": [{"field": "error.kind", "in": ["connection-refused", "kea-error"]},
                          {"field": "local.state", "==": "waiting"}]},
         "count": 3, "within": "10m", "settle": "2m", "summary": "{{target}} restarted {{count}} times within {{window}}"}
        """

    /// server2 down for `down` seconds, then back in waiting for 2 s, then load-balancing, every `every` seconds.
    static func crashing(_ times: Int, every: Double, down: Double = 8) -> (Double) -> [Observation] {
        { second in
            let cycle = second.truncatingRemainder(dividingBy: every)
            guard second < Double(times) * every else { return [ha("server2", .loadBalancing, role: "secondary")] }
            if cycle < down { return [down_("server2")] }
            if cycle < down + 2 { return [ha("server2", .waiting, role: "secondary")] }
            return [ha("server2", .loadBalancing, role: "secondary")]
        }
    }

    static func down_(_ target: String) -> Observation { down(target) }

    /// (restarts, seconds apart) → what the engine decides.
    @Test(arguments: [
        (3, 20.0, ["fire Loop server2@40", "resolve Loop server2@169"]),
        (6, 20.0, ["fire Loop server2@40", "resolve Loop server2@229"]),
        (2, 20.0, []),
        (3, 400.0, []),  // three restarts, but not within ten minutes
    ])
    func restartsWithinTheWindowPageOnceAndResolveAfterTheSettlePeriod(
        restarts: Int,
        apart: Double,
        expected: [String]
    ) throws {
        var scenario = try Scenario(ruleJSON: Self.loop)
        scenario.run(
            stride(from: 0, through: Double(restarts) * apart + 300, by: 1),
            Self.crashing(restarts, every: apart)
        )
        #expect(scenario.timeline == expected)
        if let alert = scenario.decisions.first?.alert {
            #expect(alert.summary == "server2 restarted 3 times within 10m")
        }
    }

    @Test func aTimeoutIsNotARestart() throws {
        var scenario = try Scenario(ruleJSON: Self.loop)
        scenario.run(stride(from: 0, through: 300, by: 1)) { second in
            [second.truncatingRemainder(dividingBy: 20) < 3 ? down("server1", .timeout) : ha("server1", .partnerDown)]
        }
        #expect(scenario.decisions.isEmpty)
    }

    @Test func theCountSurvivesARestartOfTheAgent() throws {
        var scenario = try Scenario(ruleJSON: Self.loop)
        scenario.run(stride(from: 0, through: 30, by: 1), Self.crashing(3, every: 20))
        let restored = try scenario.engine.restore(scenario.state.checkpoint())
        scenario.state = restored
        scenario.run(stride(from: 31, through: 60, by: 1), Self.crashing(3, every: 20))
        #expect(scenario.timeline == ["fire Loop server2@40"])
    }
}

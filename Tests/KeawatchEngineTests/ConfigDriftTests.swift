import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchReview
import KeawatchRules
import Testing

/// The shipped configuration rules in simulated time: partners whose configurations differ page
/// `KeaConfigDrift` after its 15 minutes, naming the JSON paths; the conflicting reservation pages
/// at once.
@Suite struct ConfigDriftTests {
    static func configuration(_ target: String, reservedTo mac: String) -> ConfigurationObservation {
        let subnet = JSONValue.object(
            JSONObject([
                ("id", .number(1)), ("subnet", .string("198.18.0.0/24")),
                (
                    "reservations",
                    .array([.object(["hw-address": .string(mac), "ip-address": .string("198.18.0.74")])])
                ),
            ])
        )
        return ConfigurationObservation(
            target: target,
            at: Scenario.epoch,
            outcome: .configuration(KeaConfigDocument(section: "Dhcp4", root: .object(["subnet4": .array([subnet])])))
        )
    }

    @Test func driftPagesAfterFifteenMinutesWithThePaths() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/kea-config.json")
        var scenario = Scenario(try Rule.parseFile(Array(try Data(contentsOf: file)), file: "kea-config.json"))
        let configurations = [
            Self.configuration("server1", reservedTo: "02:00:00:00:00:74"),
            Self.configuration("server2", reservedTo: "02:00:00:00:00:99"),
        ]
        for second in stride(from: 0.0, through: 1200, by: 60) {
            let at = Scenario.epoch.addingTimeInterval(second)
            let pair = [ha("server1", .loadBalancing), ha("server2", .loadBalancing, role: "secondary")]
            scenario.decisions += scenario.engine.evaluate(
                &scenario.state,
                observations: pair.map { Observation(target: $0.target, at: at, outcome: $0.outcome) },
                configurations: second == 0 ? configurations : [],
                at: at
            )
        }
        #expect(
            scenario.timeline == [
                "fire KeaReservationConflict server1+server2@0", "fire KeaConfigDrift server1+server2@900",
            ]
        )
        let drift = try #require(scenario.decisions.last)
        #expect(drift.alert.summary == "server1+server2: the partners' configurations differ at 2 JSON paths")
        #expect(
            drift.alert.description.contains(
                #"Dhcp4.subnet4[id=1].reservations[hw-address=02:00:00:00:00:74]: {"hw-address":"02:00:00:00:00:74","ip-address":"198.18.0.74"} vs nothing"#
            ),
            "\(drift.alert.description)"
        )
    }
}

import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchReview
import KeawatchRules
import Testing

/// A pair's pool counters come from one server (partners hold every lease: never the sum), chosen
/// by HA state; the default pool rules page at 90 % and 98 % in simulated time.
@Suite struct PoolTests {
    static func statistics(
        _ target: String,
        assigned: Double,
        total: Double = 100,
        subnet: Int = 1
    )
        -> StatisticsObservation
    {
        StatisticsObservation(
            target: target,
            at: Scenario.epoch,
            outcome: .statistics(
                KeaStatistics(subnets: [
                    SubnetStatistics(subnetID: subnet, total: total, assigned: assigned, declined: 0)
                ])
            )
        )
    }

    static func uptime(_ observation: Observation, _ seconds: Int) -> Observation {
        guard var status = observation.status else { return observation }
        status.uptime = seconds
        return Observation(target: observation.target, at: observation.at, outcome: .status(status))
    }

    static let failed = StatisticsObservation(
        target: "server1",
        at: Scenario.epoch,
        outcome: .failure(PollFailure(kind: .keaError, message: "result 1: unable to forward command"))
    )

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var primary: Observation
        var secondary: Observation
        var primaryStatistics: StatisticsObservation?
        var server: String?
        var source: PoolView.Source?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "both operational: the primary",
            primary: ha("server1", .loadBalancing),
            secondary: ha("server2", .loadBalancing, role: "secondary"),
            primaryStatistics: statistics("server1", assigned: 40),
            server: "server1",
            source: .primary
        ),
        Case(
            name: "primary syncing after a restart: the partner",
            primary: ha("server1", .syncing, partner: .partnerDown),
            secondary: ha("server2", .partnerDown, partner: .syncing, role: "secondary"),
            primaryStatistics: statistics("server1", assigned: 3),
            server: "server2",
            source: .partner
        ),
        Case(
            name: "primary back but started long after its partner (under-reports after sync)",
            primary: uptime(ha("server1", .loadBalancing), 30),
            secondary: uptime(ha("server2", .loadBalancing, role: "secondary"), 86400),
            primaryStatistics: statistics("server1", assigned: 3),
            server: "server2",
            source: .partnerLongerUp
        ),
        Case(
            name: "primary's statistics poll failed: the partner",
            primary: ha("server1", .loadBalancing),
            secondary: ha("server2", .loadBalancing, role: "secondary"),
            primaryStatistics: failed,
            server: "server2",
            source: .partner
        ),
        Case(
            name: "hot-standby: the primary, the standby holds every lease too",
            primary: ha("server1", .hotStandby),
            secondary: ha("server2", .hotStandby, role: "standby"),
            primaryStatistics: statistics("server1", assigned: 40),
            server: "server1",
            source: .primary
        ),
        Case(
            name: "neither operational: no figure rather than a wrong one",
            primary: ha("server1", .waiting),
            secondary: ha("server2", .syncing, role: "secondary"),
            primaryStatistics: statistics("server1", assigned: 40),
            server: nil,
            source: nil
        ),
    ]

    @Test(arguments: cases)
    func pairCountsComeFromTheServerHoldingTheLeases(_ example: Case) throws {
        var scenario = try Scenario(
            ruleJSON: #"{"name": "Full", "kind": "condition", "when": {"field": "subnet.utilization", ">": 2}}"#
        )
        var statistics = [Self.statistics("server2", assigned: 40)]
        if let primary = example.primaryStatistics { statistics.insert(primary, at: 0) }
        _ = scenario.engine.evaluate(
            &scenario.state,
            observations: [example.primary, example.secondary],
            statistics: statistics,
            at: Scenario.epoch
        )
        let view = scenario.state.pools.first
        #expect(view?.server == example.server)
        #expect(view?.source == example.source)
        if example.server != nil {
            #expect(view?.owner == "server1+server2")
            #expect(scenario.state.pools.count == 1, "one view per pair, not per server")
        }
    }

    @Test func defaultRulesWarnAt90AndPageAt98PercentPerSubnet() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/kea-pools.json")
        let rules = try Rule.parseFile(Array(try Data(contentsOf: file)), file: "kea-pools.json")
        var scenario = Scenario(rules)
        let pair = [ha("server1", .loadBalancing), ha("server2", .loadBalancing, role: "secondary")]
        // 0–10 min at 50 %, 10–30 min at 92 %, then 99 % for 10 min, then back to 50 %.
        func assigned(_ second: Double) -> Double {
            second < 600 ? 50 : second < 1800 ? 92 : second < 2400 ? 99 : 50
        }
        for second in stride(from: 0.0, through: 3300, by: 60) {
            let at = Scenario.epoch.addingTimeInterval(second)
            let stats = ["server1", "server2"].map {
                StatisticsObservation(
                    target: $0,
                    at: at,
                    outcome: Self.statistics($0, assigned: assigned(second)).outcome
                )
            }
            let observations = pair.map { Observation(target: $0.target, at: at, outcome: $0.outcome) }
            scenario.decisions += scenario.engine.evaluate(
                &scenario.state,
                observations: observations,
                statistics: stats,
                at: at
            )
        }
        // Both thresholds fire (as in Alertmanager's convention; an inhibit rule can mute the
        // warning under the page), and both hold 5 minutes after the subnet is back below them.
        #expect(
            scenario.timeline == [
                "fire KeaSubnetUtilizationHigh server1+server2@900",
                "fire KeaSubnetUtilizationCritical server1+server2@1860",
                "resolve KeaSubnetUtilizationHigh server1+server2@2700",
                "resolve KeaSubnetUtilizationCritical server1+server2@2700",
            ]
        )
        let page = try #require(scenario.decisions.first { $0.alert.rule == "KeaSubnetUtilizationCritical" })
        #expect(page.alert.label("subnet") == "1")
        #expect(page.alert.summary == "server1+server2: subnet 1 is 99% full, 1 addresses left")
    }

    @Test func aFullHalfOfASplitPoolPagesWhileTheSubnetHasRoom() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/kea-pools.json")
        var scenario = Scenario(try Rule.parseFile(Array(try Data(contentsOf: file)), file: "kea-pools.json"))
        let pair = [ha("server1", .loadBalancing), ha("server2", .loadBalancing, role: "secondary")]
        // 4 addresses for HA_server1, 40 for HA_server2; server1's half fills at 5 min.
        for second in stride(from: 0.0, through: 900, by: 60) {
            let at = Scenario.epoch.addingTimeInterval(second)
            let first = second < 300 ? 2.0 : 4
            let pools = [
                PoolStatistics(
                    index: 0,
                    total: 4,
                    assigned: first,
                    declined: 0,
                    range: "198.18.0.150-198.18.0.153",
                    clientClass: "HA_server1"
                ),
                PoolStatistics(
                    index: 1,
                    total: 40,
                    assigned: 11,
                    declined: 0,
                    range: "198.18.0.154-198.18.0.193",
                    clientClass: "HA_server2"
                ),
            ]
            let subnet = SubnetStatistics(subnetID: 1, total: 44, assigned: first + 11, declined: 0, pools: pools)
            let stats = ["server1", "server2"].map {
                StatisticsObservation(target: $0, at: at, outcome: .statistics(KeaStatistics(subnets: [subnet])))
            }
            let observations = pair.map { Observation(target: $0.target, at: at, outcome: $0.outcome) }
            scenario.decisions += scenario.engine.evaluate(
                &scenario.state,
                observations: observations,
                statistics: stats,
                at: at
            )
        }
        #expect(
            scenario.timeline == [
                "fire KeaSplitPoolUtilizationCritical server1+server2@360",
                "fire KeaSplitPoolUtilizationHigh server1+server2@600",
            ]
        )
        let page = try #require(scenario.decisions.first)
        #expect(page.alert.label("subnet") == "1")
        #expect(page.alert.summary == "server1+server2: the HA_server1 pool of subnet 1 is 100% full, 0 addresses left")
        #expect(page.alert.description.contains("Pool 198.18.0.150-198.18.0.153 of subnet 1"))
        #expect(page.alert.description.contains("while the subnet is 34.1% full"))
    }

    /// Drives the shipped pool rules over `hours` of one statistics poll a minute; `counts` gives
    /// (assigned, declined) of a 200-address subnet at each second.
    static func run(hours: Double, _ counts: (Double) -> (Double, Double)) throws -> Scenario {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/kea-pools.json")
        var scenario = Scenario(try Rule.parseFile(Array(try Data(contentsOf: file)), file: "kea-pools.json"))
        let pair = [ha("server1", .loadBalancing), ha("server2", .loadBalancing, role: "secondary")]
        for second in stride(from: 0.0, through: hours * 3600, by: 60) {
            let at = Scenario.epoch.addingTimeInterval(second)
            let (assigned, declined) = counts(second)
            let stats = ["server1", "server2"].map {
                StatisticsObservation(
                    target: $0,
                    at: at,
                    outcome: .statistics(
                        KeaStatistics(subnets: [
                            SubnetStatistics(subnetID: 1, total: 200, assigned: assigned, declined: declined)
                        ])
                    )
                )
            }
            let observations = pair.map { Observation(target: $0.target, at: at, outcome: $0.outcome) }
            scenario.decisions += scenario.engine.evaluate(
                &scenario.state,
                observations: observations,
                statistics: stats,
                at: at
            )
        }
        return scenario
    }

    @Test func steadyGrowthForecastsExhaustionAndTheSyncDipDoesNotMoveIt() throws {
        // 5 addresses an hour from 100 of 200; at 3 h the figure dips to 40 for three minutes
        // (a freshly synced server under-reporting), then recovers.
        let scenario = try Self.run(hours: 6) { second in
            let assigned = (100 + 5 * second / 3600).rounded(.down)
            return ((10800...10980).contains(second) ? 40 : assigned, 0)
        }
        // At 6 h: 130 assigned, 70 free, 5 an hour: 14 h.
        let forecast = try #require(scenario.state.exhaustionForecasts.first)
        #expect(forecast.owner == "server1+server2" && forecast.subnet == 1)
        #expect(abs(forecast.seconds / 3600 - 14) < 1, "\(forecast.seconds / 3600) h")
        let fires = scenario.decisions.filter { $0.alert.rule == "KeaSubnetFillsSoon" }
        #expect(fires.map(\.kind) == [.fire], "\(scenario.timeline)")
        #expect(
            fires.first?.alert.summary.hasPrefix(
                "server1+server2: subnet 1 fills in under 24 h at the current rate (in "
            ) == true
        )
    }

    @Test func aFlatOrShrinkingSubnetHasNoForecast() throws {
        let flat = try Self.run(hours: 2) { _ in (150, 0) }
        #expect(flat.state.exhaustionForecasts.isEmpty)
        let shrinking = try Self.run(hours: 2) { second in (150 - (second / 600).rounded(.down), 0) }
        #expect(shrinking.state.exhaustionForecasts.isEmpty)
        #expect(!(flat.decisions + shrinking.decisions).contains { $0.alert.rule == "KeaSubnetFillsSoon" })
    }

    @Test func newDeclinesPageOnceAndResolveAnHourAfterTheLast() throws {
        // Two declines at 10 min; Kea keeps them declined (probation) for the rest of the run.
        let scenario = try Self.run(hours: 2) { second in (50, second >= 600 ? 2 : 0) }
        let declines = scenario.decisions.filter { $0.alert.rule == "KeaDeclinedAddresses" }
        #expect(declines.map(\.kind) == [.fire, .resolve])
        // The history is thinned (every other sample goes when it is full), so "an hour" is
        // within a few minutes.
        let times = declines.map { Int($0.at.timeIntervalSince(Scenario.epoch)) }
        #expect(times.first == 600 && (3900...4260).contains(times.last ?? 0), "\(times)")
        #expect(declines.first?.alert.summary == "server1+server2: 2 addresses declined in subnet 1 within the hour")
        #expect(declines.first?.alert.label("subnet") == "1")
    }

    @Test func aReloadKeepsPoolHistoriesStatisticsAndConfigurations() throws {
        var scenario = try Self.run(hours: 3) { second in ((100 + 5 * second / 3600).rounded(.down), 0) }
        func configuration(_ target: String, routers: String) -> ConfigurationObservation {
            let root = JSONValue.object(["subnet4": .array([.object(["id": .number(1), "subnet": .string(routers)])])])
            return ConfigurationObservation(
                target: target,
                at: Scenario.epoch,
                outcome: .configuration(KeaConfigDocument(section: "Dhcp4", root: root))
            )
        }
        let at = Scenario.epoch.addingTimeInterval(3 * 3600 + 30)
        _ = scenario.engine.evaluate(
            &scenario.state,
            observations: [],
            configurations: [
                configuration("server1", routers: "10.0.0.0/24"), configuration("server2", routers: "10.0.1.0/24"),
            ],
            at: at
        )
        let before = (scenario.state.exhaustionForecasts.map(\.seconds), scenario.state.configFindings)
        #expect(before.0.count == 1 && before.1["server1+server2"]?.differences.count == 1)
        // The pollers do not send an unchanged configuration again: the new engine must keep it.
        let reloaded = Engine(rules: scenario.engine.rules)
        var state = reloaded.carryOver(scenario.state)
        _ = reloaded.evaluate(&state, observations: [], at: at.addingTimeInterval(1))
        #expect(state.exhaustionForecasts.map(\.seconds) == before.0)
        #expect(state.configFindings["server1+server2"]?.differences == before.1["server1+server2"]?.differences)
        #expect(state.pools.map(\.server) == ["server1"])
    }

    @Test func subnetFieldsMixedWithHAFieldsAreRefused() {
        #expect(throws: (any Error).self) {
            try Scenario(
                ruleJSON:
                    #"{"name": "X", "kind": "condition", "when": {"all": [{"field": "subnet.utilization", ">": 0.5}, {"field": "local.state", "==": "load-balancing"}]}}"#
            )
        }
    }
}

import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchRules
import Testing

@Suite struct TransitionAndPairTests {
    static let stalled = """
        {"name": "Stalled", "kind": "state-change", "field": "local.state", "settle": "2m",
         "expected_paths": [["waiting", "syncing", "ready", "load-balancing"], ["communication-recovery", "partner-down"]],
         "settled": ["terminated"], "summary": "{{target}} stuck in {{value}} after {{walk}}"}
        """

    @Test(arguments: [
        // A normal start, even with states missed between polls, is silent.
        ([HAState.waiting, .syncing, .ready, .loadBalancing], [String]()),
        ([.waiting, .ready, .loadBalancing], []),
        ([.loadBalancing, .waiting, .syncing, .ready, .loadBalancing], []),
        // A failed sync that starts over is fine while it stays within settle.
        ([.waiting, .syncing, .waiting, .syncing, .ready, .loadBalancing], []),
        // Landing somewhere no path goes fires at once.
        ([.loadBalancing, .waiting, .syncing, .communicationRecovery], ["fire Stalled server1@30"]),
        ([.loadBalancing, .ready, .waiting], ["fire Stalled server1@20"]),
    ])
    func transitionsAlongExpectedPathsAreSilentOthersFire(walk: [HAState], expected: [String]) throws {
        var scenario = try Scenario(ruleJSON: Self.stalled)
        for (index, state) in walk.enumerated() {
            scenario.tick(Double(index * 10), [ha("server1", state)])
        }
        #expect(scenario.timeline == expected)
    }

    @Test func aTransitionThatStallsFiresAfterSettleAndResolvesWhenSettled() throws {
        var scenario = try Scenario(ruleJSON: Self.stalled)
        scenario.tick(0, [ha("server1", .loadBalancing)])
        scenario.run(stride(from: 10, through: 200, by: 10)) { _ in [ha("server1", .syncing)] }
        scenario.tick(210, [ha("server1", .ready)])
        scenario.tick(220, [ha("server1", .loadBalancing)])
        #expect(scenario.timeline == ["fire Stalled server1@140", "resolve Stalled server1@220"])
        #expect(scenario.decisions[0].alert.summary == "server1 stuck in syncing after syncing")
    }

    @Test func aServerSeenFirstInTheMiddleOfStartingIsTimedFromThere() throws {
        var scenario = try Scenario(ruleJSON: Self.stalled)
        scenario.run(stride(from: 0, through: 110, by: 10)) { _ in [ha("server1", .waiting)] }
        scenario.tick(120, [ha("server1", .loadBalancing)])
        #expect(scenario.decisions.isEmpty)
    }

    @Test func changeEventsRecordEveryChangeOnce() throws {
        var scenario = try Scenario(
            ruleJSON: """
                {"name": "Changed", "kind": "change-event", "severity": "info", "field": "local.state",
                 "summary": "{{target}}: {{from}} → {{to}}"}
                """
        )
        for (index, state) in [HAState.waiting, .waiting, .syncing, .ready, .ready, .loadBalancing].enumerated() {
            scenario.tick(Double(index), [ha("server2", state, role: "secondary")])
        }
        #expect(
            scenario.decisions.map(\.alert.summary) == [
                "server2: waiting → syncing", "server2: syncing → ready", "server2: ready → load-balancing",
            ]
        )
        #expect(scenario.decisions.allSatisfy { $0.kind == .fire && $0.alert.endsAt == $0.alert.startsAt })
    }

    static let splitBrain = """
        {"name": "SplitBrain", "kind": "pair", "severity": "critical", "for": "10s",
         "when": {"all": [{"field": "self.local.state", "==": "partner-down"}, {"field": "partner.local.state", "==": "partner-down"}]},
         "summary": "{{pair}}: {{target}} and {{partner}} both serve alone"}
        """

    @Test func pairsAreLearnedFromKea22ScopesAndSplitBrainFires() throws {
        var scenario = try Scenario(ruleJSON: Self.splitBrain)
        scenario.tick(0, [ha("server1", .loadBalancing), ha("server2", .loadBalancing, role: "secondary")])
        #expect(scenario.state.knownPairs.map(\.name) == ["server1+server2"])
        scenario.run(stride(from: 5, through: 30, by: 5)) { _ in
            [
                ha("server1", .partnerDown, partner: .unavailable, interrupted: true, scopes: ["server1", "server2"]),
                ha(
                    "server2",
                    .partnerDown,
                    partner: .unavailable,
                    role: "secondary",
                    interrupted: true,
                    scopes: ["server1", "server2"]
                ),
            ]
        }
        scenario.tick(35, [ha("server1", .loadBalancing), ha("server2", .loadBalancing, role: "secondary")])
        #expect(scenario.timeline == ["fire SplitBrain server1+server2@15", "resolve SplitBrain server1+server2@35"])
        #expect(scenario.decisions[0].alert.summary == "server1+server2: server1 and server2 both serve alone")
    }

    @Test func hotStandbyPairsAreLearnedFromThePrimarysScope() throws {
        var scenario = try Scenario(ruleJSON: Self.splitBrain)
        scenario.tick(
            0,
            [
                ha("kea-a", .hotStandby, partner: .hotStandby, scopes: ["server1"], partnerScopes: []),
                ha("kea-b", .hotStandby, partner: .hotStandby, role: "standby", scopes: [], partnerScopes: ["server1"]),
            ]
        )
        #expect(scenario.state.knownPairs.map(\.targets) == [["kea-a", "kea-b"]])
    }

    @Test func ambiguousNamesAreNotGuessedButDeclaredPairsAreUsed() throws {
        let twoPairs: [Observation] = [
            ha("a1", .loadBalancing), ha("a2", .loadBalancing, role: "secondary"),
            ha("b1", .loadBalancing), ha("b2", .loadBalancing, role: "secondary"),
        ]
        var guessed = try Scenario(ruleJSON: Self.splitBrain)
        guessed.tick(0, twoPairs)
        #expect(guessed.state.knownPairs.isEmpty)

        let rules = guessed.engine.rules
        var declared = Scenario(
            rules,
            pairs: [
                DeclaredPair(name: "site-a", targets: ["a1", "a2"]),
                DeclaredPair(name: "site-b", targets: ["b1", "b2"]),
            ]
        )
        declared.tick(0, twoPairs)
        #expect(declared.state.knownPairs.map(\.name) == ["site-a", "site-b"])
    }

    @Test func v4AndV6ServersSharingServerNamesAreTwoLearnedPairs() throws {
        // One host pair runs kea-dhcp4 and kea-dhcp6, both HA peers named server1 and server2.
        let observations: [Observation] = [
            ha("v4-a", .loadBalancing), ha("v4-b", .loadBalancing, role: "secondary"),
            ha("v6-a", .loadBalancing), ha("v6-b", .loadBalancing, role: "secondary"),
        ]
        let rules = try Scenario(ruleJSON: Self.splitBrain).engine.rules
        var scenario = Scenario(
            rules,
            services: ["v4-a": "dhcp4", "v4-b": "dhcp4", "v6-a": "dhcp6", "v6-b": "dhcp6"]
        )
        scenario.tick(0, observations)
        #expect(scenario.state.knownPairs.map(\.name) == ["v4-a+v4-b", "v6-a+v6-b"])
    }

    @Test func servingAloneNeedsThePartnerUnreachable() throws {
        var scenario = try Scenario(
            ruleJSON: """
                {"name": "Alone", "kind": "pair", "for": "30s",
                 "when": {"all": [{"field": "partner.reachable", "==": false},
                                  {"field": "self.local.state", "in": ["partner-down", "communication-recovery"]}]},
                 "summary": "{{partner}} unreachable, {{target}} in {{state}}"}
                """
        )
        scenario.tick(0, [ha("server1", .loadBalancing), ha("server2", .loadBalancing, role: "secondary")])
        scenario.run(stride(from: 5, through: 40, by: 5)) { _ in
            [ha("server1", .communicationRecovery, partner: .unavailable, interrupted: true), down("server2")]
        }
        #expect(scenario.timeline == ["fire Alone server1+server2@35"])
        #expect(scenario.decisions[0].alert.summary == "server2 unreachable, server1 in communication-recovery")
    }
}

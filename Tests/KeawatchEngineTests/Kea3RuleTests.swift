import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchRules
import Testing

/// The default rules for Kea ≥ 3.0's clock skew, DHCP state and sockets, and the terminated
/// message explaining itself (or saying that Kea 2.2 cannot tell), in simulated time.
@Suite struct Kea3RuleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func rules(_ file: String) throws -> [Rule] {
        try Rule.parseFile(Array(try Data(contentsOf: root.appendingPathComponent("rules/\(file)"))), file: file)
    }

    static func kea3(
        _ state: HAState,
        partner: HAState = .loadBalancing,
        skew: RemoteServerStatus.ClockSkew,
        dhcp: DHCPServiceState = DHCPServiceState(),
        sockets: String = "ready"
    ) -> Observation {
        guard case .status(var status) = ha("server1", state, partner: partner).outcome else { fatalError() }
        status.relationships[0].remote?.clockSkew = skew
        status.dhcpState = dhcp
        status.socketsStatus = sockets
        return Observation(target: "server1", at: Scenario.epoch, outcome: .status(status))
    }

    @Test(arguments: [
        (RemoteServerStatus.ClockSkew.seconds(20), true),
        (.seconds(-40), true),
        (.seconds(15), false),
        (.seconds(-3), false),
        (.notMeasuredYet, false),
        (.notReported, false),
    ])
    func clockSkewWarnsBeyond15Seconds(skew: RemoteServerStatus.ClockSkew, fires: Bool) throws {
        var scenario = Scenario(try Self.rules("kea-server.json"))
        scenario.run(stride(from: 0, through: 120, by: 5)) { _ in [Self.kea3(.loadBalancing, skew: skew)] }
        let pages = scenario.decisions.filter { $0.alert.rule == "KeaHAClockSkew" }
        #expect(pages.map(\.kind) == (fires ? [.fire] : []))
        if fires, let seconds = skew.seconds {
            #expect(
                pages.first?.alert.summary
                    == "server1: the partner's clock is \(seconds) s off (Kea terminates HA at 60 s)"
            )
            #expect(pages.first.map { Int($0.at.timeIntervalSince(Scenario.epoch)) } == 60)
        }
    }

    @Test(arguments: [
        (DHCPServiceState(globallyDisabled: true, disabledByUser: true), "KeaDHCPServiceDisabled"),
        (DHCPServiceState(globallyDisabled: true, disabledByDatabase: [3000]), "KeaDHCPServiceDisabled"),
        (DHCPServiceState(globallyDisabled: true, disabledByLocalCommand: [1000]), nil),
        (DHCPServiceState(), nil),
    ])
    func disabledServicePagesUnlessHADisabledIt(state: DHCPServiceState, rule: String?) throws {
        var scenario = Scenario(try Self.rules("kea-server.json"))
        scenario.run(stride(from: 0, through: 180, by: 5)) { _ in
            [Self.kea3(.loadBalancing, skew: .seconds(0), dhcp: state)]
        }
        #expect(scenario.decisions.map(\.alert.rule) == (rule.map { [$0] } ?? []))
        if let page = scenario.decisions.first {
            #expect(page.alert.summary == "server1 does not serve DHCP: \(state.summary.rawValue)")
        }
    }

    @Test func socketsThatCannotOpenPage() throws {
        var scenario = Scenario(try Self.rules("kea-server.json"))
        scenario.run(stride(from: 0, through: 90, by: 5)) { _ in
            [Self.kea3(.loadBalancing, skew: .seconds(0), sockets: "retrying")]
        }
        #expect(scenario.timeline == ["fire KeaSocketsNotReady server1@60"])
    }

    @Test(arguments: [
        (
            RemoteServerStatus.ClockSkew.seconds(-75), HAState.terminated,
            "The partner's clock is 75 s behind this server's: above 60 s Kea terminates HA. Synchronize the clocks (NTP), then restart both servers. The partner reports terminated too."
        ),
        (
            .seconds(2), .loadBalancing,
            "The clock skew is 2 s, within Kea's 60 s limit now (it may have been corrected since, or another fatal HA error occurred): read the server's log (HA_TERMINATED)."
        ),
        (
            .notReported, .unavailable,
            "This Kea (before 3.0) does not report the clock skew, so status-get cannot tell why: compare both servers' clocks (Kea terminates HA when they differ by more than 60 s) and read their logs (HA_TERMINATED)."
        ),
    ])
    func terminatedSaysWhyOrThatItCannotTell(
        skew: RemoteServerStatus.ClockSkew,
        partner: HAState,
        reason: String
    ) throws {
        let rules = try Self.rules("kea-ha.json").filter { $0.name == "KeaHATerminated" }
        var scenario = Scenario(rules)
        scenario.tick(0, [Self.kea3(.terminated, partner: partner, skew: skew)])
        let page = try #require(scenario.decisions.first)
        #expect(page.alert.description.hasSuffix(reason), "\(page.alert.description)")
    }
}

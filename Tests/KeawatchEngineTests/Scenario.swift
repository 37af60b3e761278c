import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchRules

/// Builds observations and drives the engine in simulated time: no clock, no network.
struct Scenario {
    var engine: Engine
    var state: EngineState
    var decisions: [Decision] = []
    static let epoch = Date(timeIntervalSince1970: 1_762_975_000)

    init(
        _ rules: [Rule],
        pairs: [DeclaredPair] = [],
        services: [String: String] = [:],
        historyCount: Int = 720,
        historyAge: Duration = .seconds(3600)
    ) {
        engine = Engine(
            rules: rules,
            declaredPairs: pairs,
            services: services,
            historyCount: historyCount,
            historyAge: historyAge
        )
        state = engine.makeState()
    }

    init(ruleJSON: String) throws {
        self.init(try Rule.parseFile(Array("{\"rules\": [\(ruleJSON)]}".utf8), file: "test.json"))
    }

    /// Feeds observations taken at `second` and evaluates then; returns that tick's decisions.
    @discardableResult
    mutating func tick(_ second: Double, _ observations: [Observation] = []) -> [Decision] {
        let at = Scenario.epoch.addingTimeInterval(second)
        let stamped = observations.map { Observation(target: $0.target, at: at, outcome: $0.outcome) }
        let new = engine.evaluate(&state, observations: stamped, at: at)
        decisions += new
        return new
    }

    /// Ticks every `step` seconds over `range`, feeding what `make` returns for each instant.
    mutating func run(_ range: StrideThrough<Double>, _ make: (Double) -> [Observation]) {
        for second in range { tick(second, make(second)) }
    }

    /// "fire Rule target@t" strings, for readable expectations.
    var timeline: [String] {
        decisions.map { decision in
            let subject = decision.alert.label("pair") ?? decision.alert.label("target") ?? "-"
            let second = Int(decision.at.timeIntervalSince(Scenario.epoch))
            return "\(decision.kind.rawValue) \(decision.alert.rule) \(subject)@\(second)"
        }
    }
}

/// A `status-get` observation of one server of a load-balancing pair (Kea 2.2 style: no names).
func ha(
    _ target: String,
    _ state: HAState,
    partner: HAState = .loadBalancing,
    role: String = "primary",
    interrupted: Bool = false,
    age: Int = 0,
    unacked: Int = 0,
    scopes: [String]? = nil,
    partnerScopes: [String]? = nil
) -> Observation {
    let own = role == "primary" ? "server1" : "server2"
    let other = role == "primary" ? "server2" : "server1"
    let relationship = HARelationshipStatus(
        mode: "load-balancing",
        local: LocalServerStatus(role: role, state: state, scopes: scopes ?? [own]),
        remote: RemoteServerStatus(
            role: role == "primary" ? "secondary" : "primary",
            lastState: partner,
            lastScopes: partnerScopes ?? [other],
            age: age,
            inTouch: true,
            communicationInterrupted: interrupted,
            unackedClients: unacked
        )
    )
    return Observation(
        target: target,
        at: Scenario.epoch,
        outcome: .status(KeaStatus(pid: 1, uptime: 100, relationships: [relationship]))
    )
}

func down(_ target: String, _ kind: PollFailure.Kind = .connectionRefused) -> Observation {
    Observation(
        target: target,
        at: Scenario.epoch,
        outcome: .failure(PollFailure(kind: kind, message: "Failed to connect"))
    )
}

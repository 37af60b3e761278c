import KeawatchModel
import KeawatchPolling
import KeawatchStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the agent last saw of each target: the latest observation (for maintenance, the status
/// page and `/healthz`), the state summary whose changes are the state history, and when any
/// target last answered. Pure: observations in, state changes out.
struct ObservedTargets: Sendable {
    /// The latest observation of each target, without the fields keawatch does not model.
    private(set) var latest: [String: Observation] = [:]
    private var summaries: [String: String] = [:]
    /// When a target last answered (or when the agent started, if none has yet).
    private(set) var lastSuccess: Date
    /// When the agent started or last reloaded: a target not yet observed counts from here.
    private(set) var since: Date

    init(startedAt: Date) {
        lastSuccess = startedAt
        since = startedAt
    }

    /// Takes the observations of one evaluation; returns the rows of state history they make.
    mutating func record(_ observations: [Observation]) -> [StateChange] {
        var changes: [StateChange] = []
        for observation in observations {
            latest[observation.target] = observation.withoutUnknownFields
            if observation.isReachable { lastSuccess = max(lastSuccess, observation.at) }
            let summary = Self.summary(observation)
            if summaries[observation.target] != summary {
                summaries[observation.target] = summary
                changes.append(StateChange(target: observation.target, at: observation.at, summary: summary))
            }
        }
        return changes
    }

    /// A reload at `now`: targets no longer configured are forgotten; the others count from now.
    mutating func reload(keeping targets: [KeaTarget], at now: Date) {
        since = now
        latest = latest.filter { name, _ in targets.contains { $0.name == name } }
    }

    /// The target observed longest ago, when that is more than three intervals and a timeout
    /// ago. A failed poll is an observation too, so only polling itself stalling gets here.
    func pollingBehind(_ targets: [KeaTarget], interval: Duration, at now: Date) -> (target: String, age: Duration)? {
        var stalest: (target: String, age: Duration)?
        for target in targets {
            let seen = latest[target.name]?.at ?? since
            let age = Duration.milliseconds(Int64(saturating: now.timeIntervalSince(seen) * 1000))
            guard age > interval * 3 + target.timeout + .seconds(5) else { continue }
            if age > stalest?.age ?? .zero { stalest = (target.name, age) }
        }
        return stalest
    }

    /// Reachability and HA states in a line of JSON; a change of it is a row of state history.
    static func summary(_ observation: Observation) -> String {
        guard let status = observation.status else {
            return JSONValue.object([
                "reachable": .bool(false), "error": .string(observation.failure?.kind.rawValue ?? ""),
            ])
            .serialized
        }
        let relationships = status.relationships.map { relationship -> JSONValue in
            .object(
                JSONObject([
                    ("local", .string(relationship.local.state.rawValue)),
                    ("remote", .string(relationship.remote?.lastState.rawValue ?? "")),
                    ("comm-interrupted", .bool(relationship.remote?.communicationInterrupted ?? false)),
                ])
            )
        }
        return JSONValue.object(JSONObject([("reachable", .bool(true)), ("ha", .array(relationships))])).serialized
    }
}

extension Observation {
    /// The observation without the fields keawatch does not model (kept for a thousand targets,
    /// they would cost a few KiB each and nothing reads them).
    var withoutUnknownFields: Observation {
        guard case .status(var status) = outcome else { return self }
        for index in status.relationships.indices {
            status.relationships[index].local.otherFields = [:]
            status.relationships[index].remote?.otherFields = [:]
        }
        var copy = self
        copy.outcome = .status(status)
        return copy
    }
}

import KeawatchModel
import KeawatchRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Engine {
    /// A checkpoint that cannot be read.
    package struct CheckpointError: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// Rebuilds a state from `EngineState.checkpoint()`. Alerts of rules that no longer exist are
    /// dropped; everything else continues where it was.
    package func restore(_ bytes: [UInt8]) throws(CheckpointError) -> EngineState {
        struct Version: Decodable { var version: Int }
        let document: Checkpoint
        do {
            let version = try JSONDecoder().decode(Version.self, from: Data(bytes)).version
            guard version == Checkpoint.currentVersion else {
                throw CheckpointError(description: "unknown checkpoint version \(version)")
            }
            document = try JSONDecoder().decode(Checkpoint.self, from: Data(bytes))
        } catch let error as CheckpointError {
            throw error
        } catch let error as DecodingError {
            throw CheckpointError(description: "checkpoint cannot be read: \(Self.describe(error))")
        } catch {
            throw CheckpointError(description: "checkpoint cannot be read: \(error)")
        }
        var state = makeState()
        for target in document.targets {
            let id = state.histories.count
            state.targetIDs[target.name] = id
            state.targetNames.append(target.name)
            var history = TargetHistory(capacity: historyCount)
            history.lastFailureMessage = target.failure
            history.relationshipNames = target.names.map(Set.init)
            history.relationshipRoles = target.roles
            if let latest = target.latest {
                guard AlertState.plausibleInstants.contains(latest.at) else {
                    throw CheckpointError(description: "checkpoint sample of \(target.name) has no valid time")
                }
                history.append(latest.sample(interning: &state.vocabulary), maxAge: historyAge.seconds)
            }
            state.histories.append(history)
        }
        state.pairsNeedUpdate = true
        updatePairs(&state)
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.name, $0) })
        func key(_ rule: String, _ subject: Checkpoint.Subject) -> AlertKey? {
            guard let rule = ruleIndex[rule] else { return nil }
            if let owner = subject.owner, let subnet = subject.subnet {
                return AlertKey(rule: rule, subject: .subnet(state.subnetID(of: owner, subnet: subnet)))
            }
            if let pair = subject.pair { return AlertKey(rule: rule, subject: .pair(state.pairID(pair))) }
            guard let target = subject.target.flatMap({ state.targetIDs[$0] }) else { return nil }
            if let index = subject.relationship { return AlertKey(rule: rule, subject: .relationship(target, index)) }
            return AlertKey(rule: rule, subject: .target(target))
        }
        for entry in document.alerts {
            guard let key = key(entry.rule, entry.subject) else { continue }
            state.alerts[key] = entry.state
            state.setMayHaveAlert(key, true)
        }
        for entry in document.trackers {
            guard let key = key(entry.rule, entry.subject) else { continue }
            var tracker = TransitionTracker()
            tracker.current = entry.current.map { state.vocabulary.intern($0) }
            tracker.walk = entry.walk.compactMap { $0 }.map { state.vocabulary.intern($0) }
            tracker.since = entry.since.flatMap { AlertState.plausibleInstants.contains($0) ? $0 : nil }
            state.trackers[key] = tracker
        }
        for entry in document.episodes {
            guard let key = key(entry.rule, entry.subject) else { continue }
            var tracker = EpisodeTracker()
            tracker.holding = entry.holding
            tracker.starts = entry.starts
            tracker.lastHeld = entry.lastHeld
            state.episodes[key] = tracker
        }
        for entry in document.lastValues {
            guard let key = key(entry.rule, entry.subject), let value = entry.value else { continue }
            state.lastValues[key] = state.vocabulary.intern(value)
        }
        return state
    }

    /// The state of another engine (the one before a configuration reload) carried over to this
    /// one's rules: alert lifecycles and timers by rule name, every target's full history, and its
    /// latest statistics and configuration (the pollers do not send an unchanged one again) and
    /// each subnet's history.
    package func carryOver(_ old: EngineState) -> EngineState {
        var state = (try? restore(old.checkpoint())) ?? makeState()
        for (name, oldID) in old.targetIDs {
            guard let id = state.targetIDs[name] else { continue }
            var history = TargetHistory(capacity: historyCount)
            history.lastFailureMessage = state.histories[id].lastFailureMessage
            history.relationshipNames = state.histories[id].relationshipNames
            history.relationshipRoles = state.histories[id].relationshipRoles
            let previous = old.histories[oldID]
            for index in 0..<previous.count {
                let record = SampleRecord(previous[index], vocabulary: old.vocabulary)
                history.append(record.sample(interning: &state.vocabulary), maxAge: historyAge.seconds)
            }
            state.histories[id] = history
            if let statistics = old.statistics[oldID] { state.statistics[id] = statistics }
            if let configuration = old.configurations[oldID] {
                state.configurations[id] = configuration
                state.configurationsChanged = true
                state.changedConfigurations.insert(id)
            }
        }
        for (subject, oldID) in old.subnetIDs {
            guard let history = old.subnetHistories[oldID] else { continue }
            state.subnetHistories[state.subnetID(of: subject.owner, subnet: subject.subnet)] = history
        }
        state.exhaustionForecasts = old.exhaustionForecasts
        return state
    }

    /// Where in the checkpoint, and what was wrong, without Foundation's debug wording.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

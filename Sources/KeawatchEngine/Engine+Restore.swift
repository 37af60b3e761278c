import KeawatchModel
import KeawatchRules

extension Engine {
    /// A checkpoint that cannot be read.
    public struct CheckpointError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Rebuilds a state from `EngineState.checkpoint()`. Alerts of rules that no longer exist are
    /// dropped; everything else continues where it was.
    public func restore(_ bytes: [UInt8]) throws(CheckpointError) -> EngineState {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw CheckpointError(description: "checkpoint is not JSON: \(error)")
        }
        guard document["version"]?.intValue == 1 else {
            throw CheckpointError(description: "unknown checkpoint version")
        }
        var state = makeState()
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.name, $0) })
        for target in document["targets"]?.arrayValue ?? [] {
            guard let name = target["name"]?.stringValue else { continue }
            let id = state.histories.count
            state.targetIDs[name] = id
            state.targetNames.append(name)
            var history = TargetHistory(capacity: historyCount)
            history.lastFailureMessage = target["failure"]?.stringValue ?? ""
            history.relationshipNames = (target["names"]?.arrayValue ?? []).map {
                Set(($0.arrayValue ?? []).compactMap(\.stringValue))
            }
            history.relationshipRoles = (target["roles"]?.arrayValue ?? []).compactMap(\.stringValue)
            if let latest = target["latest"], latest != .null {
                guard let at = latest["at"]?.numberValue, AlertState.plausibleInstants.contains(at) else {
                    throw CheckpointError(description: "checkpoint sample of \(name) has no valid time")
                }
                history.append(decodeSample(latest, vocabulary: &state.vocabulary), maxAge: historyAge.seconds)
            }
            state.histories.append(history)
        }
        state.pairsNeedUpdate = true
        updatePairs(&state)
        func key(_ entry: JSONValue) -> AlertKey? {
            guard let rule = entry["rule"]?.stringValue.flatMap({ ruleIndex[$0] }), let subject = entry["subject"]
            else {
                return nil
            }
            if let owner = subject["owner"]?.stringValue, let subnet = subject["subnet"]?.intValue {
                return AlertKey(rule: rule, subject: .subnet(state.subnetID(of: owner, subnet: subnet)))
            }
            if let pair = subject["pair"]?.stringValue {
                return AlertKey(rule: rule, subject: .pair(state.pairID(pair)))
            }
            guard let target = subject["target"]?.stringValue.flatMap({ state.targetIDs[$0] }) else { return nil }
            if let index = subject["relationship"]?.intValue {
                return AlertKey(rule: rule, subject: .relationship(target, index))
            }
            return AlertKey(rule: rule, subject: .target(target))
        }
        do {
            for entry in document["alerts"]?.arrayValue ?? [] {
                guard let key = key(entry), let value = entry["state"] else { continue }
                state.alerts[key] = try AlertState(json: value)
                state.setMayHaveAlert(key, true)
            }
        } catch {
            throw CheckpointError(description: "checkpoint alert: \(error)")
        }
        for entry in document["trackers"]?.arrayValue ?? [] {
            guard let key = key(entry) else { continue }
            var tracker = TransitionTracker()
            tracker.current = entry["current"]?.stringValue.map { state.vocabulary.intern($0) }
            tracker.walk = (entry["walk"]?.arrayValue ?? []).compactMap(\.stringValue).map {
                state.vocabulary.intern($0)
            }
            tracker.since = entry["since"]?.numberValue.flatMap {
                AlertState.plausibleInstants.contains($0) ? $0 : nil
            }
            state.trackers[key] = tracker
        }
        for entry in document["episodes"]?.arrayValue ?? [] {
            guard let key = key(entry) else { continue }
            var tracker = EpisodeTracker()
            tracker.holding = entry["holding"]?.boolValue ?? false
            tracker.starts = (entry["starts"]?.arrayValue ?? []).compactMap(\.numberValue)
            tracker.lastHeld = entry["lastHeld"]?.numberValue
            state.episodes[key] = tracker
        }
        for entry in document["lastValues"]?.arrayValue ?? [] {
            guard let key = key(entry), let value = entry["value"]?.stringValue else { continue }
            state.lastValues[key] = state.vocabulary.intern(value)
        }
        return state
    }

    /// The state of another engine (the one before a configuration reload) carried over to this
    /// one's rules: alert lifecycles and timers by rule name, every target's full history, and its
    /// latest statistics and configuration (the pollers do not send an unchanged one again) and
    /// each subnet's history.
    public func carryOver(_ old: EngineState) -> EngineState {
        var state = (try? restore(old.checkpoint())) ?? makeState()
        for (name, oldID) in old.targetIDs {
            guard let id = state.targetIDs[name] else { continue }
            var history = TargetHistory(capacity: historyCount)
            history.lastFailureMessage = state.histories[id].lastFailureMessage
            history.relationshipNames = state.histories[id].relationshipNames
            history.relationshipRoles = state.histories[id].relationshipRoles
            let previous = old.histories[oldID]
            for index in 0..<previous.count {
                let sample = decodeSample(old.encode(previous[index]), vocabulary: &state.vocabulary)
                history.append(sample, maxAge: historyAge.seconds)
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

    private func decodeSample(_ value: JSONValue, vocabulary: inout Vocabulary) -> Sample {
        func code(_ value: JSONValue?) -> UInt16 {
            value?.stringValue.map { vocabulary.intern($0) } ?? Vocabulary.absent
        }
        func int32(_ value: JSONValue?) -> Int32 { Int32(clamping: value?.intValue ?? 0) }
        let relationships = (value["relationships"]?.arrayValue ?? []).map { entry -> RelationshipSample in
            var sample = RelationshipSample()
            sample.mode = code(entry["mode"])
            sample.localRole = code(entry["localRole"])
            sample.localState = code(entry["localState"])
            sample.localName = code(entry["localName"])
            sample.remoteRole = code(entry["remoteRole"])
            sample.remoteState = code(entry["remoteState"])
            sample.remoteName = code(entry["remoteName"])
            sample.flags = UInt8(clamping: entry["flags"]?.intValue ?? 0)
            sample.age = int32(entry["age"])
            sample.connectingClients = UInt16(clamping: entry["connecting"]?.intValue ?? 0)
            sample.unackedClients = UInt16(clamping: entry["unacked"]?.intValue ?? 0)
            sample.unackedClientsLeft = UInt16(clamping: entry["unackedLeft"]?.intValue ?? 0)
            sample.analyzedPackets = int32(entry["analyzed"])
            sample.clockSkew = Int16(clamping: entry["clockSkew"]?.intValue ?? Int(RelationshipSample.notReported))
            return sample
        }
        var sample = Sample(
            at: value["at"]?.numberValue ?? 0,
            failure: value["failure"]?.stringValue.flatMap(PollFailure.Kind.init(rawValue:))?.code ?? 0,
            uptime: int32(value["uptime"]),
            relationshipCount: UInt8(clamping: relationships.count),
            first: relationships.first ?? RelationshipSample(),
            more: relationships.count > 1 ? Array(relationships.dropFirst()) : nil
        )
        sample.dhcpState = UInt8(clamping: value["dhcpState"]?.intValue ?? 0)
        sample.socketsStatus = UInt8(clamping: value["sockets"]?.intValue ?? 0)
        return sample
    }
}

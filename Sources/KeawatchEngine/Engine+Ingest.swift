import KeawatchModel
import KeawatchRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Engine {
    /// Appends one observation to its target's history and feeds the transition trackers and
    /// change events, which look at every sample (a tick may carry several).
    func ingest(_ observation: Observation, into state: inout EngineState, decisions: inout [Decision]) {
        let target = observation.target
        let id = targetID(target, state: &state)
        let sample = makeSample(observation, target: id, state: &state)
        state.histories[id].append(sample, maxAge: historyAge.seconds)

        for (ruleIndex, rule) in compiled.enumerated() {
            switch rule.kind {
            case .stateChange(let spec):
                forEachSubject(of: rule, index: ruleIndex, target: id, sample: sample) { key, relationship in
                    guard let value = spec.field.code(sample, relationship) else { return }
                    state.trackers[key, default: TransitionTracker()].observe(value, at: sample.at, spec: spec)
                }
            case .changeEvent(let accessor):
                forEachSubject(of: rule, index: ruleIndex, target: id, sample: sample) { key, relationship in
                    guard let value = accessor.code(sample, relationship) else { return }
                    let previous = state.lastValues.updateValue(value, forKey: key)
                    guard let previous, previous != value else { return }
                    var values = [
                        "from": state.vocabulary.name(previous), "to": state.vocabulary.name(value),
                        "value": state.vocabulary.name(value), "target": target,
                    ]
                    if case .relationship(_, let index) = key.subject { values["relationship"] = "\(index)" }
                    var alert = render(rule, key: key, state: state, at: sample.at, since: sample.at, context: values)
                    alert.endsAt = alert.startsAt
                    decisions.append(Decision(kind: .fire, at: observation.at, alert: alert))
                }
            case .recurrence(let spec):
                func observe(_ key: AlertKey, _ relationship: RelationshipSample?) {
                    let condition = spec.condition.evaluate((sample, relationship), nil)
                    // The common case, every poll of a healthy fleet: nothing holds, nothing tracked.
                    guard condition || (!state.episodes.isEmpty && state.episodes[key] != nil) else { return }
                    state.episodes[key, default: EpisodeTracker()].observe(condition, at: sample.at, spec: spec)
                }
                if rule.scope == .relationship && !sample.isReachable {
                    // No relationships in a failed poll, yet "unreachable" is part of a restart: the
                    // relationships known so far see it (their fields read as absent).
                    let known = max(1, state.histories[id].relationshipNames.count)
                    for index in 0..<known {
                        observe(AlertKey(rule: ruleIndex, subject: .relationship(id, index)), nil)
                    }
                } else {
                    forEachSubject(of: rule, index: ruleIndex, target: id, sample: sample) { observe($0, $1) }
                }
            default:
                break
            }
        }
    }

    /// The target's id, registering a target seen for the first time.
    func targetID(_ target: String, state: inout EngineState) -> Int {
        if let known = state.targetIDs[target] { return known }
        let id = state.histories.count
        state.targetIDs[target] = id
        state.targetNames.append(target)
        state.histories.append(TargetHistory(capacity: historyCount))
        state.pairsNeedUpdate = !declaredPairs.isEmpty || state.pairsNeedUpdate
        return id
    }

    /// Calls `body` for each subject of a target-or-relationship rule present in `sample`.
    func forEachSubject(
        of rule: CompiledRule,
        index ruleIndex: Int,
        target: Int,
        sample: Sample,
        _ body: (AlertKey, RelationshipSample?) -> Void
    ) {
        switch rule.scope {
        case .target:
            body(AlertKey(rule: ruleIndex, subject: .target(target)), sample.relationship(0))
        case .relationship:
            for index in 0..<Int(sample.relationshipCount) {
                body(AlertKey(rule: ruleIndex, subject: .relationship(target, index)), sample.relationship(index))
            }
        case .pair, .subnet, .configuration:
            break
        }
    }

    private func makeSample(_ observation: Observation, target: Int, state: inout EngineState) -> Sample {
        let at = observation.at.timeIntervalSince1970
        switch observation.outcome {
        case .failure(let failure):
            state.histories[target].lastFailureMessage = failure.message
            return Sample(
                at: at,
                failure: failure.kind.code,
                uptime: -1,
                relationshipCount: 0,
                first: RelationshipSample()
            )
        case .status(let status):
            var relationships: [RelationshipSample] = []
            for (index, relationship) in status.relationships.prefix(255).enumerated() {
                relationships.append(makeRelationship(relationship, state: &state))
                learnNames(relationship, index: index, target: target, state: &state)
            }
            var sample = Sample(
                at: at,
                failure: 0,
                uptime: Int32(clamping: status.uptime),
                relationshipCount: UInt8(relationships.count),
                first: relationships.first ?? RelationshipSample(),
                more: relationships.count > 1 ? Array(relationships.dropFirst()) : nil
            )
            if let summary = status.dhcpState?.summary {
                sample.dhcpState = UInt8(DHCPServiceState.Summary.allCases.firstIndex(of: summary)! + 1)
            }
            if let sockets = status.socketsStatus {
                // An unknown status (a newer Kea) counts as not ready.
                sample.socketsStatus = UInt8((Sample.socketStates.firstIndex(of: sockets) ?? 2) + 1)
            }
            return sample
        }
    }

    private func makeRelationship(_ status: HARelationshipStatus, state: inout EngineState) -> RelationshipSample {
        var sample = RelationshipSample()
        sample.mode = state.vocabulary.intern(status.mode)
        sample.localRole = state.vocabulary.intern(status.local.role)
        sample.localState = state.vocabulary.intern(status.local.state.rawValue)
        sample.localName = status.local.serverName.map { state.vocabulary.intern($0) } ?? Vocabulary.absent
        if let remote = status.remote {
            sample.flags = RelationshipSample.hasRemote
            if remote.inTouch { sample.flags |= RelationshipSample.inTouch }
            if remote.communicationInterrupted { sample.flags |= RelationshipSample.communicationInterrupted }
            sample.remoteRole = state.vocabulary.intern(remote.role)
            sample.remoteState = state.vocabulary.intern(remote.lastState.rawValue)
            sample.remoteName = remote.serverName.map { state.vocabulary.intern($0) } ?? Vocabulary.absent
            sample.age = Int32(clamping: remote.age)
            sample.connectingClients = UInt16(clamping: remote.connectingClients)
            sample.unackedClients = UInt16(clamping: remote.unackedClients)
            sample.unackedClientsLeft = UInt16(clamping: remote.unackedClientsLeft)
            sample.analyzedPackets = Int32(clamping: remote.analyzedPackets)
            switch remote.clockSkew {
            case .notReported: sample.clockSkew = RelationshipSample.notReported
            case .notMeasuredYet: sample.clockSkew = RelationshipSample.notMeasured
            case .seconds(let seconds): sample.clockSkew = Int16(clamping: max(-32766, min(32766, seconds)))
            }
        }
        return sample
    }

    /// Pair inference: every scope and server name a relationship mentions (Kea 2.2 has no
    /// server-name; its scopes are named after the peers).
    private func learnNames(_ status: HARelationshipStatus, index: Int, target: Int, state: inout EngineState) {
        if index < state.histories[target].relationshipNames.count {
            // The usual case, every poll: nothing new. Checked without building a set.
            let known = state.histories[target].relationshipNames[index]
            let nothingNew =
                state.histories[target].relationshipRoles[index] == status.local.role
                && status.local.scopes.allSatisfy(known.contains)
                && (status.remote?.lastScopes ?? []).allSatisfy(known.contains)
                && (status.local.serverName.map(known.contains) ?? true)
                && (status.remote?.serverName.map(known.contains) ?? true)
            if nothingNew { return }
        }
        var names = Set(status.local.scopes)
        names.formUnion(status.remote?.lastScopes ?? [])
        if let name = status.local.serverName { names.insert(name) }
        if let name = status.remote?.serverName { names.insert(name) }
        while state.histories[target].relationshipNames.count <= index {
            state.histories[target].relationshipNames.append([])
            state.histories[target].relationshipRoles.append("")
        }
        state.histories[target].relationshipNames[index].formUnion(names)
        state.histories[target].relationshipRoles[index] = status.local.role
        state.pairsNeedUpdate = true
    }
}

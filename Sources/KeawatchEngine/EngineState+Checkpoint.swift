import KeawatchModel

/// Engine checkpoints: what a restart needs to continue exactly where it was (alert lifecycles,
/// pending timers, transition walks, each target's latest sample and learned names), as JSON with
/// names instead of interned codes, so a checkpoint survives a change of rules or vocabulary.
/// Not the full history: evaluation needs only the latest samples.
extension EngineState {
    public func checkpoint() -> [UInt8] {
        func subject(_ key: AlertKey) -> JSONValue {
            switch key.subject {
            case .target(let target): .object(["target": .string(targetNames[target])])
            case .relationship(let target, let index):
                .object(["target": .string(targetNames[target]), "relationship": .number(Double(index))])
            case .pair(let pair): .object(["pair": .string(pairNames[pair])])
            case .subnet(let subnet):
                .object([
                    "owner": .string(subnetSubjects[subnet].owner),
                    "subnet": .number(Double(subnetSubjects[subnet].subnet)),
                ])
            }
        }
        func name(_ code: UInt16?) -> JSONValue {
            guard let code, code != Vocabulary.absent else { return .null }
            return .string(vocabulary.name(code))
        }
        let targets = targetNames.indices.map { id -> JSONValue in
            let history = histories[id]
            return .object(
                JSONObject([
                    ("name", .string(targetNames[id])),
                    ("latest", history.latest.map { encode($0) } ?? .null),
                    ("failure", .string(history.lastFailureMessage)),
                    ("names", .array(history.relationshipNames.map { .array($0.sorted().map(JSONValue.string)) })),
                    ("roles", .array(history.relationshipRoles.map(JSONValue.string))),
                ])
            )
        }
        let alertEntries = alerts.sorted { $0.key < $1.key }.map { key, state -> JSONValue in
            .object(
                JSONObject([("rule", .string(ruleNames[key.rule])), ("subject", subject(key)), ("state", state.json)])
            )
        }
        let trackerEntries = trackers.sorted { $0.key < $1.key }.map { key, tracker -> JSONValue in
            .object(
                JSONObject([
                    ("rule", .string(ruleNames[key.rule])), ("subject", subject(key)),
                    ("current", name(tracker.current)),
                    ("walk", .array(tracker.walk.map { name($0) })),
                    ("since", tracker.since.map { .number($0) } ?? .null),
                ])
            )
        }
        let episodeEntries = episodes.sorted { $0.key < $1.key }.map { key, tracker -> JSONValue in
            .object(
                JSONObject([
                    ("rule", .string(ruleNames[key.rule])), ("subject", subject(key)),
                    ("holding", .bool(tracker.holding)), ("starts", .array(tracker.starts.map { .number($0) })),
                    ("lastHeld", tracker.lastHeld.map { .number($0) } ?? .null),
                ])
            )
        }
        let valueEntries = lastValues.sorted { $0.key < $1.key }.map { key, value -> JSONValue in
            .object(
                JSONObject([("rule", .string(ruleNames[key.rule])), ("subject", subject(key)), ("value", name(value))])
            )
        }
        let document = JSONValue.object(
            JSONObject([
                ("version", .number(1)), ("targets", .array(targets)), ("alerts", .array(alertEntries)),
                ("trackers", .array(trackerEntries)), ("lastValues", .array(valueEntries)),
                ("episodes", .array(episodeEntries)),
            ])
        )
        return Array(document.serialized.utf8)
    }

    func encode(_ sample: Sample) -> JSONValue {
        func name(_ code: UInt16) -> JSONValue { code == Vocabulary.absent ? .null : .string(vocabulary.name(code)) }
        let relationships = (0..<Int(sample.relationshipCount)).compactMap { sample.relationship($0) }.map {
            relationship -> JSONValue in
            .object(
                JSONObject([
                    ("mode", name(relationship.mode)), ("localRole", name(relationship.localRole)),
                    ("localState", name(relationship.localState)), ("localName", name(relationship.localName)),
                    ("remoteRole", name(relationship.remoteRole)), ("remoteState", name(relationship.remoteState)),
                    ("remoteName", name(relationship.remoteName)), ("flags", .number(Double(relationship.flags))),
                    ("age", .number(Double(relationship.age))),
                    ("connecting", .number(Double(relationship.connectingClients))),
                    ("unacked", .number(Double(relationship.unackedClients))),
                    ("unackedLeft", .number(Double(relationship.unackedClientsLeft))),
                    ("analyzed", .number(Double(relationship.analyzedPackets))),
                    ("clockSkew", .number(Double(relationship.clockSkew))),
                ])
            )
        }
        return .object(
            JSONObject([
                ("at", .number(sample.at)),
                ("failure", PollFailure.Kind(code: sample.failure).map { .string($0.rawValue) } ?? .null),
                ("uptime", .number(Double(sample.uptime))), ("relationships", .array(relationships)),
                ("dhcpState", .number(Double(sample.dhcpState))), ("sockets", .number(Double(sample.socketsStatus))),
            ])
        )
    }
}

extension AlertState {
    var json: JSONValue {
        let phaseValue: JSONValue =
            switch phase {
            case .inactive: .object(["inactive": .bool(true)])
            case .pending(let since): .object(["pending": .number(since)])
            case .firing(let since): .object(["firing": .number(since)])
            }
        return .object(
            JSONObject([
                ("phase", phaseValue), ("clearingSince", clearingSince.map { .number($0) } ?? .null),
                ("announcedFiring", .bool(announcedFiring)), ("lastAnnounced", .number(lastAnnounced)),
                ("changes", .array(changes.map { .number($0) })), ("flapping", .bool(flapping)),
                ("flappingSince", .number(flappingSince)), ("alert", alert?.json ?? .null),
                ("flappingAlert", flappingAlert?.json ?? .null),
            ])
        )
    }

    /// Instants a checkpoint may hold: 1970 to the year 9999.
    static let plausibleInstants: ClosedRange<Double> = 0...253_402_300_799

    init(json value: JSONValue) throws(JSONShapeError) {
        self.init()
        // Instants are checked like input: a damaged checkpoint must not reach date arithmetic.
        func instant(_ value: JSONValue?, _ name: String) throws(JSONShapeError) -> Double? {
            guard let value, value != .null else { return nil }
            guard let number = value.numberValue, Self.plausibleInstants.contains(number) else {
                throw JSONShapeError(path: .root.appending(name), expected: "a time in seconds since 1970")
            }
            return number
        }
        if let since = try instant(value["phase"]?["pending"], "phase") {
            phase = .pending(since: since)
        } else if let since = try instant(value["phase"]?["firing"], "phase") {
            phase = .firing(since: since)
        }
        clearingSince = try instant(value["clearingSince"], "clearingSince")
        announcedFiring = value["announcedFiring"]?.boolValue ?? false
        lastAnnounced = try instant(value["lastAnnounced"], "lastAnnounced") ?? 0
        var changes: [Double] = []
        for change in value["changes"]?.arrayValue ?? [] {
            if let time = try instant(change, "changes") { changes.append(time) }
        }
        self.changes = changes
        flapping = value["flapping"]?.boolValue ?? false
        flappingSince = try instant(value["flappingSince"], "flappingSince") ?? 0
        if let alert = value["alert"], alert != .null { self.alert = try Alert(json: alert) }
        if let alert = value["flappingAlert"], alert != .null { flappingAlert = try Alert(json: alert) }
    }
}

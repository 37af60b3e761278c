import KeawatchModel

/// The checkpoint document: what a restart needs to continue exactly where it was (alert
/// lifecycles, pending timers, transition walks, episode counters, each target's latest sample and
/// learned names), with names instead of interned codes, so that it survives a change of rules or
/// vocabulary. Not the full history: evaluation needs only the latest samples.
///
/// Version 1, unchanged since it was written by hand: every key keeps its name and shape, so
/// checkpoints of earlier agents restore as they are; keys added later (`dhcpState`, `sockets`,
/// `clockSkew`) are optional.
struct Checkpoint: Codable {
    static let currentVersion = 1

    var version: Int
    var targets: [Target]
    var alerts: [AlertEntry]
    var trackers: [TrackerEntry]
    var lastValues: [ValueEntry]
    var episodes: [EpisodeEntry]

    /// What an alert is about: a target (or one of its relationships), a pair, or a subnet of an owner.
    struct Subject: Codable, Hashable {
        var target: String?
        var relationship: Int?
        var pair: String?
        var owner: String?
        var subnet: Int?
    }

    struct Target: Codable {
        var name: String
        var latest: SampleRecord?
        var failure: String
        /// Per relationship, the server names seen in it.
        var names: [[String]]
        var roles: [String]
    }

    struct AlertEntry: Codable {
        var rule: String
        var subject: Subject
        var state: AlertState
    }

    struct TrackerEntry: Codable {
        var rule: String
        var subject: Subject
        var current: String?
        var walk: [String?]
        var since: Double?
    }

    struct EpisodeEntry: Codable {
        var rule: String
        var subject: Subject
        var holding: Bool
        var starts: [Double]
        var lastHeld: Double?
    }

    struct ValueEntry: Codable {
        var rule: String
        var subject: Subject
        var value: String?
    }
}

/// A sample with names for its codes.
struct SampleRecord: Codable {
    var at: Double
    var failure: String?
    var uptime: Int
    var relationships: [Relationship]
    var dhcpState: Int?
    var sockets: Int?

    struct Relationship: Codable {
        var mode, localRole, localState, localName: String?
        var remoteRole, remoteState, remoteName: String?
        var flags, age, connecting, unacked, unackedLeft, analyzed: Int
        var clockSkew: Int?
    }

    init(_ sample: Sample, vocabulary: Vocabulary) {
        func name(_ code: UInt16) -> String? { code == Vocabulary.absent ? nil : vocabulary.name(code) }
        at = sample.at
        failure = PollFailure.Kind(code: sample.failure)?.rawValue
        uptime = Int(sample.uptime)
        relationships = (0..<Int(sample.relationshipCount)).compactMap { sample.relationship($0) }.map {
            Relationship(
                mode: name($0.mode),
                localRole: name($0.localRole),
                localState: name($0.localState),
                localName: name($0.localName),
                remoteRole: name($0.remoteRole),
                remoteState: name($0.remoteState),
                remoteName: name($0.remoteName),
                flags: Int($0.flags),
                age: Int($0.age),
                connecting: Int($0.connectingClients),
                unacked: Int($0.unackedClients),
                unackedLeft: Int($0.unackedClientsLeft),
                analyzed: Int($0.analyzedPackets),
                clockSkew: Int($0.clockSkew)
            )
        }
        dhcpState = Int(sample.dhcpState)
        sockets = Int(sample.socketsStatus)
    }

    func sample(interning vocabulary: inout Vocabulary) -> Sample {
        func code(_ name: String?) -> UInt16 { name.map { vocabulary.intern($0) } ?? Vocabulary.absent }
        let relationships = relationships.map { entry -> RelationshipSample in
            var sample = RelationshipSample()
            sample.mode = code(entry.mode)
            sample.localRole = code(entry.localRole)
            sample.localState = code(entry.localState)
            sample.localName = code(entry.localName)
            sample.remoteRole = code(entry.remoteRole)
            sample.remoteState = code(entry.remoteState)
            sample.remoteName = code(entry.remoteName)
            sample.flags = UInt8(clamping: entry.flags)
            sample.age = Int32(clamping: entry.age)
            sample.connectingClients = UInt16(clamping: entry.connecting)
            sample.unackedClients = UInt16(clamping: entry.unacked)
            sample.unackedClientsLeft = UInt16(clamping: entry.unackedLeft)
            sample.analyzedPackets = Int32(clamping: entry.analyzed)
            sample.clockSkew = Int16(clamping: entry.clockSkew ?? Int(RelationshipSample.notReported))
            return sample
        }
        var sample = Sample(
            at: at,
            failure: failure.flatMap(PollFailure.Kind.init(rawValue:))?.code ?? 0,
            uptime: Int32(clamping: uptime),
            relationshipCount: UInt8(clamping: relationships.count),
            first: relationships.first ?? RelationshipSample(),
            more: relationships.count > 1 ? Array(relationships.dropFirst()) : nil
        )
        sample.dhcpState = UInt8(clamping: dhcpState ?? 0)
        sample.socketsStatus = UInt8(clamping: sockets ?? 0)
        return sample
    }
}

extension AlertState: Codable {
    private enum CodingKeys: String, CodingKey {
        case phase, clearingSince, announcedFiring, lastAnnounced, changes, flapping, flappingSince, alert
        case flappingAlert
    }

    /// `{"inactive": true}`, `{"pending": since}` or `{"firing": since}`.
    private enum PhaseKeys: String, CodingKey {
        case inactive, pending, firing
    }

    package init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Instants are checked like input: a damaged checkpoint must not reach date arithmetic.
        func instant(_ value: Double?, _ key: CodingKeys) throws -> Double? {
            guard let value else { return nil }
            guard Self.plausibleInstants.contains(value) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key,
                    in: container,
                    debugDescription: "not a time in seconds since 1970"
                )
            }
            return value
        }
        let phaseContainer = try container.nestedContainer(keyedBy: PhaseKeys.self, forKey: .phase)
        if let since = try instant(phaseContainer.decodeIfPresent(Double.self, forKey: .pending), .phase) {
            phase = .pending(since: since)
        } else if let since = try instant(phaseContainer.decodeIfPresent(Double.self, forKey: .firing), .phase) {
            phase = .firing(since: since)
        }
        clearingSince = try instant(container.decodeIfPresent(Double.self, forKey: .clearingSince), .clearingSince)
        announcedFiring = try container.decode(Bool.self, forKey: .announcedFiring)
        lastAnnounced = try instant(container.decode(Double.self, forKey: .lastAnnounced), .lastAnnounced) ?? 0
        changes = try container.decode([Double].self, forKey: .changes).compactMap { try instant($0, .changes) }
        flapping = try container.decode(Bool.self, forKey: .flapping)
        flappingSince = try instant(container.decode(Double.self, forKey: .flappingSince), .flappingSince) ?? 0
        alert = try container.decodeIfPresent(Alert.self, forKey: .alert)
        flappingAlert = try container.decodeIfPresent(Alert.self, forKey: .flappingAlert)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var phaseContainer = container.nestedContainer(keyedBy: PhaseKeys.self, forKey: .phase)
        switch phase {
        case .inactive: try phaseContainer.encode(true, forKey: .inactive)
        case .pending(let since): try phaseContainer.encode(since, forKey: .pending)
        case .firing(let since): try phaseContainer.encode(since, forKey: .firing)
        }
        try container.encodeIfPresent(clearingSince, forKey: .clearingSince)
        try container.encode(announcedFiring, forKey: .announcedFiring)
        try container.encode(lastAnnounced, forKey: .lastAnnounced)
        try container.encode(changes, forKey: .changes)
        try container.encode(flapping, forKey: .flapping)
        try container.encode(flappingSince, forKey: .flappingSince)
        try container.encodeIfPresent(alert, forKey: .alert)
        try container.encodeIfPresent(flappingAlert, forKey: .flappingAlert)
    }

    /// Instants a checkpoint may hold: 1970 to the year 9999.
    static let plausibleInstants: ClosedRange<Double> = 0...253_402_300_799
}

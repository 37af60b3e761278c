import KeawatchModel

/// One poll of one target, compactly: what the rules read, nothing more. 56 bytes (the field
/// order avoids padding): an hour of history for a thousand servers is 40 MiB.
struct Sample: Sendable {
    /// Seconds since 1970.
    var at: Double
    var first: RelationshipSample
    var uptime: Int32
    /// `PollFailure.Kind` code + 1, or 0 when the poll succeeded.
    var failure: UInt8
    var relationshipCount: UInt8
    /// Kea ≥ 3.0's `dhcp-state` (`DHCPServiceState.Summary` index + 1) and `sockets.status`
    /// (`Sample.socketStates` index + 1); 0 when not reported. They fit in what was padding.
    var dhcpState: UInt8 = 0
    var socketsStatus: UInt8 = 0
    /// Relationships past the first (hub-and-spoke); nil for the usual pair.
    var more: [RelationshipSample]?

    init(
        at: Double,
        failure: UInt8,
        uptime: Int32,
        relationshipCount: UInt8,
        first: RelationshipSample,
        more: [RelationshipSample]? = nil
    ) {
        self.at = at
        self.first = first
        self.uptime = uptime
        self.failure = failure
        self.relationshipCount = relationshipCount
        self.more = more
    }

    var isReachable: Bool { failure == 0 }

    static let socketStates = ["ready", "retrying", "failed"]

    func relationship(_ index: Int) -> RelationshipSample? {
        guard index < Int(relationshipCount) else { return nil }
        return index == 0 ? first : more?[index - 1]
    }
}

/// One HA relationship in a sample (32 bytes). Client counts are clamped to 65,535.
struct RelationshipSample: Sendable {
    var mode: UInt16 = Vocabulary.absent
    var localRole: UInt16 = Vocabulary.absent
    var localState: UInt16 = Vocabulary.absent
    var localName: UInt16 = Vocabulary.absent
    var remoteRole: UInt16 = Vocabulary.absent
    var remoteState: UInt16 = Vocabulary.absent
    var remoteName: UInt16 = Vocabulary.absent
    var connectingClients: UInt16 = 0
    var unackedClients: UInt16 = 0
    var unackedClientsLeft: UInt16 = 0
    /// Kea ≥ 3.0's `clock-skew` in seconds (clamped to ±32,766); `notReported` before 3.0,
    /// `notMeasured` before the first heartbeat. Fits in what was padding.
    var clockSkew: Int16 = RelationshipSample.notReported
    var flags: UInt8 = 0
    var age: Int32 = -1
    var analyzedPackets: Int32 = 0

    static let notReported: Int16 = .min
    static let notMeasured: Int16 = .min + 1
    static let hasRemote: UInt8 = 1
    static let inTouch: UInt8 = 2
    static let communicationInterrupted: UInt8 = 4

    var remotePresent: Bool { flags & Self.hasRemote != 0 }
}

extension PollFailure.Kind {
    static let ordered = PollFailure.Kind.allCases

    var code: UInt8 { UInt8(Self.ordered.firstIndex(of: self)! + 1) }

    init?(code: UInt8) {
        guard code > 0, Int(code) <= Self.ordered.count else { return nil }
        self = Self.ordered[Int(code) - 1]
    }
}

extension Int32 {
    init(clamping value: Int?) {
        guard let value else {
            self = -1
            return
        }
        self = Int32(clamping: value)
    }
}

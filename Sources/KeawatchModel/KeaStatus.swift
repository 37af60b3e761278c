/// What a Kea DHCP server said about itself in answer to `status-get`.
public struct KeaStatus: Sendable, Equatable {
    public var pid: Int?
    public var uptime: Int?
    public var reload: Int?
    /// One entry per HA relationship (one in Kea 2.2, several with hub-and-spoke in 2.6+).
    /// Empty when the HA hook is not loaded. At most `maximumRelationships`.
    public var relationships: [HARelationshipStatus]
    /// Kea ≥ 3.0: whether DHCP service is enabled and who disabled it; nil before 3.0.
    public var dhcpState: DHCPServiceState?
    /// `sockets.status` (`ready`, `retrying`, `failed`) and its `errors` (Kea 2.2 reports them too).
    public var socketsStatus: String?
    public var socketErrors: [String]
    /// Relationships past `maximumRelationships` that the server reported and that were not kept.
    public var droppedRelationships = 0

    /// A hub-and-spoke server has a handful of relationships; a server reporting thousands must not
    /// grow the history and the metrics without bound.
    public static let maximumRelationships = 32

    public init(
        pid: Int? = nil,
        uptime: Int? = nil,
        reload: Int? = nil,
        relationships: [HARelationshipStatus] = [],
        dhcpState: DHCPServiceState? = nil,
        socketsStatus: String? = nil,
        socketErrors: [String] = []
    ) {
        self.pid = pid
        self.uptime = uptime
        self.reload = reload
        self.relationships = relationships
        self.dhcpState = dhcpState
        self.socketsStatus = socketsStatus
        self.socketErrors = socketErrors
    }
}

/// One HA relationship as seen by the server that was polled.
public struct HARelationshipStatus: Sendable, Equatable {
    /// `load-balancing`, `hot-standby`, `passive-backup`, or a mode a newer Kea adds.
    public var mode: String
    public var local: LocalServerStatus
    /// Absent in `passive-backup`, where the server has no partner it heartbeats with.
    public var remote: RemoteServerStatus?

    public init(mode: String, local: LocalServerStatus, remote: RemoteServerStatus?) {
        self.mode = mode
        self.local = local
        self.remote = remote
    }
}

/// `ha-servers.local`: the polled server's own view.
public struct LocalServerStatus: Sendable, Equatable {
    public var role: String
    public var state: HAState
    public var scopes: [String]
    /// Kea ≥ 2.6 only.
    public var serverName: String?
    /// Kea ≥ 3.0: this server's clock at the last clock-skew measurement ("YYYY-MM-DD HH:MM:SS").
    public var systemTime: String?
    /// Fields this version does not interpret, kept as reported.
    public var otherFields: [String: JSONValue]

    public init(
        role: String,
        state: HAState,
        scopes: [String] = [],
        serverName: String? = nil,
        systemTime: String? = nil,
        otherFields: [String: JSONValue] = [:]
    ) {
        self.role = role
        self.state = state
        self.scopes = scopes
        self.serverName = serverName
        self.systemTime = systemTime
        self.otherFields = otherFields
    }
}

/// `ha-servers.remote`: what the polled server knows of its partner (as of the last heartbeat).
public struct RemoteServerStatus: Sendable, Equatable {
    public var role: String
    public var lastState: HAState
    public var lastScopes: [String]
    /// Seconds since the last successful contact.
    public var age: Int?
    /// Stays true after the first contact, even when the partner is gone.
    public var inTouch: Bool
    public var communicationInterrupted: Bool
    public var connectingClients: Int
    public var unackedClients: Int
    public var unackedClientsLeft: Int
    public var analyzedPackets: Int
    /// Kea ≥ 2.6 only.
    public var serverName: String?
    /// Kea ≥ 3.0: the partner's clock minus this server's, in seconds, at the last heartbeat.
    public var clockSkew: ClockSkew
    /// Kea ≥ 3.0: the partner's clock at that heartbeat.
    public var systemTime: String?
    public var otherFields: [String: JSONValue]

    /// Kea 2.x has no `clock-skew`; Kea 3 reports `null` until the first heartbeat.
    public enum ClockSkew: Sendable, Equatable {
        case notReported
        case notMeasuredYet
        case seconds(Int)

        public var seconds: Int? {
            if case .seconds(let value) = self { return value }
            return nil
        }
    }

    public init(
        role: String,
        lastState: HAState,
        lastScopes: [String] = [],
        age: Int? = nil,
        inTouch: Bool = false,
        communicationInterrupted: Bool = false,
        connectingClients: Int = 0,
        unackedClients: Int = 0,
        unackedClientsLeft: Int = 0,
        analyzedPackets: Int = 0,
        serverName: String? = nil,
        clockSkew: ClockSkew = .notReported,
        systemTime: String? = nil,
        otherFields: [String: JSONValue] = [:]
    ) {
        self.clockSkew = clockSkew
        self.systemTime = systemTime
        self.role = role
        self.lastState = lastState
        self.lastScopes = lastScopes
        self.age = age
        self.inTouch = inTouch
        self.communicationInterrupted = communicationInterrupted
        self.connectingClients = connectingClients
        self.unackedClients = unackedClients
        self.unackedClientsLeft = unackedClientsLeft
        self.analyzedPackets = analyzedPackets
        self.serverName = serverName
        self.otherFields = otherFields
    }
}

/// What a Kea DHCP server said about itself in answer to `status-get`.
package struct KeaStatus: Sendable, Equatable {
    package var pid: Int?
    package var uptime: Int?
    package var reload: Int?
    /// One entry per HA relationship (one in Kea 2.2, several with hub-and-spoke in 2.6+).
    /// Empty when the HA hook is not loaded. At most `maximumRelationships`.
    package var relationships: [HARelationshipStatus]
    /// Kea ≥ 3.0: whether DHCP service is enabled and who disabled it; nil before 3.0.
    package var dhcpState: DHCPServiceState?
    /// `sockets.status` (`ready`, `retrying`, `failed`) and its `errors` (Kea 2.2 reports them too).
    package var socketsStatus: String?
    package var socketErrors: [String]
    /// Relationships past `maximumRelationships` that the server reported and that were not kept.
    package var droppedRelationships = 0

    /// A hub-and-spoke server has a handful of relationships; a server reporting thousands must not
    /// grow the history and the metrics without bound.
    package static let maximumRelationships = 32

    package init(
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
package struct HARelationshipStatus: Sendable, Equatable {
    /// `load-balancing`, `hot-standby`, `passive-backup`, or a mode a newer Kea adds.
    package var mode: String
    package var local: LocalServerStatus
    /// Absent in `passive-backup`, where the server has no partner it heartbeats with.
    package var remote: RemoteServerStatus?

    package init(mode: String, local: LocalServerStatus, remote: RemoteServerStatus?) {
        self.mode = mode
        self.local = local
        self.remote = remote
    }
}

/// `ha-servers.local`: the polled server's own view.
package struct LocalServerStatus: Sendable, Equatable {
    package var role: String
    package var state: HAState
    package var scopes: [String]
    /// Kea ≥ 2.6 only.
    package var serverName: String?
    /// Kea ≥ 3.0: this server's clock at the last clock-skew measurement ("YYYY-MM-DD HH:MM:SS").
    package var systemTime: String?
    /// Fields this version does not interpret, kept as reported.
    package var otherFields: [String: JSONValue]

    package init(
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
package struct RemoteServerStatus: Sendable, Equatable {
    package var role: String
    package var lastState: HAState
    package var lastScopes: [String]
    /// Seconds since the last successful contact.
    package var age: Int?
    /// Stays true after the first contact, even when the partner is gone.
    package var inTouch: Bool
    package var communicationInterrupted: Bool
    package var connectingClients: Int
    package var unackedClients: Int
    package var unackedClientsLeft: Int
    package var analyzedPackets: Int
    /// Kea ≥ 2.6 only.
    package var serverName: String?
    /// Kea ≥ 3.0: the partner's clock minus this server's, in seconds, at the last heartbeat.
    package var clockSkew: ClockSkew
    /// Kea ≥ 3.0: the partner's clock at that heartbeat.
    package var systemTime: String?
    package var otherFields: [String: JSONValue]

    /// Kea 2.x has no `clock-skew`; Kea 3 reports `null` until the first heartbeat.
    package enum ClockSkew: Sendable, Equatable {
        case notReported
        case notMeasuredYet
        case seconds(Int)

        package var seconds: Int? {
            if case .seconds(let value) = self { return value }
            return nil
        }
    }

    package init(
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

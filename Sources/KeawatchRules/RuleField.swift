/// A value a rule can test, named as Kea names it in `status-get` (`local.state`, `remote.age`, …)
/// plus keawatch's own (`reachable`, `error.kind`).
package enum RuleField: String, Sendable, CaseIterable {
    case reachable
    case errorKind = "error.kind"
    case uptime
    case haMode = "ha-mode"
    case localRole = "local.role"
    case localState = "local.state"
    case localServerName = "local.server-name"
    case remoteRole = "remote.role"
    case remoteState = "remote.last-state"
    case remoteServerName = "remote.server-name"
    case remoteAge = "remote.age"
    case remoteInTouch = "remote.in-touch"
    case remoteCommunicationInterrupted = "remote.communication-interrupted"
    case remoteConnectingClients = "remote.connecting-clients"
    case remoteUnackedClients = "remote.unacked-clients"
    case remoteUnackedClientsLeft = "remote.unacked-clients-left"
    case remoteAnalyzedPackets = "remote.analyzed-packets"
    /// Kea ≥ 3.0: seconds, partner minus local; absent before 3.0 and before the first heartbeat.
    case remoteClockSkew = "remote.clock-skew"
    /// Kea ≥ 3.0: `enabled`, `disabled-by-user`, `disabled-by-db-connection`, `disabled-by-ha-local`, …
    case dhcpState = "dhcp-state"
    /// `ready`, `retrying`, `failed` (Kea 2.2 reports it too).
    case socketsStatus = "sockets.status"
    // Per subnet of a pair, from `statistic-get-all` of the server that holds the pair's leases.
    case subnetTotal = "subnet.total-addresses"
    case subnetAssigned = "subnet.assigned-addresses"
    case subnetDeclined = "subnet.declined-addresses"
    case subnetFree = "subnet.free-addresses"
    case subnetUtilization = "subnet.utilization"
    case subnetTotalPrefixes = "subnet.total-pds"
    case subnetAssignedPrefixes = "subnet.assigned-pds"
    case subnetPrefixUtilization = "subnet.pd-utilization"
    case subnetDeclinedGrowth = "subnet.declined-growth"
    case subnetHoursToFull = "subnet.hours-to-full"
    /// The fullest pool restricted to a client class (a half of a split load-balancing pool).
    case subnetSplitPoolUtilization = "subnet.split-pool-utilization"
    // Per HA pair, from both partners' `config-get` (redacted, normalized, compared).
    case configDifferences = "config.differences"
    case configReservationConflicts = "config.reservation-conflicts"
    case configHAAdvice = "config.ha-advice"

    package enum ValueType: String, Sendable {
        case bool = "true or false"
        case number = "a number"
        case text = "a string"
    }

    package var valueType: ValueType {
        switch self {
        case .reachable, .remoteInTouch, .remoteCommunicationInterrupted: .bool
        case .uptime, .remoteAge, .remoteConnectingClients, .remoteUnackedClients, .remoteUnackedClientsLeft,
            .remoteAnalyzedPackets, .remoteClockSkew, .subnetTotal, .subnetAssigned, .subnetDeclined, .subnetFree,
            .subnetUtilization,
            .subnetTotalPrefixes, .subnetAssignedPrefixes, .subnetPrefixUtilization, .subnetDeclinedGrowth,
            .subnetHoursToFull, .subnetSplitPoolUtilization, .configDifferences,
            .configReservationConflicts, .configHAAdvice:
            .number
        case .errorKind, .haMode, .localRole, .localState, .localServerName, .remoteRole, .remoteState,
            .remoteServerName, .dhcpState, .socketsStatus:
            .text
        }
    }

    /// Fields that exist only per HA relationship (a rule using one is evaluated per relationship).
    package var isRelationshipField: Bool {
        switch self {
        case .reachable, .errorKind, .uptime, .dhcpState, .socketsStatus: false
        default: !isSubnetField && !isConfigurationField
        }
    }

    /// Fields of an HA pair's configuration (a rule using one is evaluated per pair).
    package var isConfigurationField: Bool { rawValue.hasPrefix("config.") }

    /// Fields of one subnet of a pair (a rule using one is evaluated per pair and subnet).
    package var isSubnetField: Bool { rawValue.hasPrefix("subnet.") }

    /// Accepted spellings besides the canonical one.
    static let aliases: [String: RuleField] = [
        "remote.state": .remoteState, "subnet.total-nas": .subnetTotal, "subnet.assigned-nas": .subnetAssigned,
    ]

    package static func named(_ name: String) -> RuleField? {
        RuleField(rawValue: name) ?? aliases[name]
    }
}

/// A field of one side of an HA pair, in pair rules: `self.local.state`, `partner.reachable`.
package struct FieldReference: Sendable, Equatable {
    package enum Side: String, Sendable {
        case this = "self"
        case partner
    }

    package var side: Side
    package var field: RuleField

    package init(side: Side = .this, field: RuleField) {
        self.side = side
        self.field = field
    }

    package var name: String { side == .this ? field.rawValue : "partner.\(field.rawValue)" }
}

/// Kea ≥ 3.0's `dhcp-state` in `status-get`: whether the DHCP service is enabled, and who
/// disabled it. The HA hook disables it itself while a server waits or syncs (normal), a user by
/// `dhcp-disable`, Kea when a database connection is lost.
package struct DHCPServiceState: Sendable, Equatable {
    package var globallyDisabled: Bool
    package var disabledByUser: Bool
    /// HA origins (Kea's origin ids): this server's HA hook, the partner's, a lost database.
    package var disabledByLocalCommand: [Int]
    package var disabledByRemoteCommand: [Int]
    package var disabledByDatabase: [Int]

    package init(
        globallyDisabled: Bool = false,
        disabledByUser: Bool = false,
        disabledByLocalCommand: [Int] = [],
        disabledByRemoteCommand: [Int] = [],
        disabledByDatabase: [Int] = []
    ) {
        self.globallyDisabled = globallyDisabled
        self.disabledByUser = disabledByUser
        self.disabledByLocalCommand = disabledByLocalCommand
        self.disabledByRemoteCommand = disabledByRemoteCommand
        self.disabledByDatabase = disabledByDatabase
    }

    /// One word for rules: `enabled`, or who disabled it (a lost database first: the most
    /// serious), `disabled-by-user`, `disabled-by-ha-remote`, `disabled-by-ha-local`, or `disabled`.
    package var summary: Summary {
        if !disabledByDatabase.isEmpty { return .disabledByDatabase }
        if disabledByUser { return .disabledByUser }
        if !disabledByRemoteCommand.isEmpty { return .disabledByPartner }
        if !disabledByLocalCommand.isEmpty { return .disabledByHA }
        return globallyDisabled ? .disabled : .enabled
    }

    package enum Summary: String, Sendable, CaseIterable {
        case enabled
        case disabledByDatabase = "disabled-by-db-connection"
        case disabledByUser = "disabled-by-user"
        case disabledByPartner = "disabled-by-ha-remote"
        case disabledByHA = "disabled-by-ha-local"
        case disabled
    }
}

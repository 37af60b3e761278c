import KeawatchModel

extension AgentMetrics {
    /// What Kea reports beyond HA state: `kea_ha_clock_skew_seconds{target,relationship}` (Kea ≥ 3.0,
    /// partner minus local, once measured), `kea_dhcp_enabled{target}` (Kea ≥ 3.0's `dhcp-state`)
    /// and `kea_sockets_ready{target}` (`sockets.status` is `ready`).
    func recordServerState(target: String, _ status: KeaStatus) {
        for (index, relationship) in status.relationships.enumerated() {
            if let skew = relationship.remote?.clockSkew.seconds {
                gauge("kea_ha_clock_skew_seconds", [("target", target), ("relationship", "\(index)")], Double(skew))
            }
        }
        if let state = status.dhcpState {
            gauge("kea_dhcp_enabled", [("target", target)], state.summary == .enabled ? 1 : 0)
        }
        if let sockets = status.socketsStatus {
            gauge("kea_sockets_ready", [("target", target)], sockets == "ready" ? 1 : 0)
        }
    }
}

import KeawatchPolling

extension KeawatchConfig {
    /// Each target's Kea service (`dhcp4` when it names none), for pair inference: a host's v4 and
    /// v6 servers are two pairs even when they share server names.
    package var targetServices: [String: String] {
        Dictionary(targets.map { ($0.name, $0.service ?? "dhcp4") }, uniquingKeysWith: { first, _ in first })
    }
}

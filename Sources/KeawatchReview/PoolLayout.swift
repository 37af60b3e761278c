package import KeawatchModel

/// Which pools of a server's subnets are restricted to a client class, from its `config-get`: in
/// load-balancing with pools split by `HA_server1`/`HA_server2` each half serves only its own
/// server's clients and can run out on its own. Kea reports per-pool counters only from 2.4 on;
/// for Kea 2.2 keawatch counts those pools' leases itself (`counts(in:)`).
package struct PoolLayout: Sendable, Equatable {
    package struct Pool: Sendable, Equatable {
        /// Index in the subnet's `pools` (Kea's `pool[M]`).
        package var index: Int
        /// As written in the configuration, without spaces: `198.18.0.150-198.18.0.154`.
        package var range: String
        package var clientClass: String?
        /// DHCPv4 pools only: the addresses as numbers (lease counting needs them).
        var addresses: ClosedRange<UInt32>?
    }

    /// By subnet id; only subnets with at least one class-restricted pool.
    package var subnets: [Int: [Pool]]

    package init(subnets: [Int: [Pool]] = [:]) {
        self.subnets = subnets
    }

    package var isEmpty: Bool { subnets.isEmpty }

    /// The class-restricted pools of every subnet (top level and in shared networks).
    package init(_ document: KeaConfigDocument) {
        var subnets: [Int: [Pool]] = [:]
        for (_, subnet) in document.subnets {
            guard let id = subnet["id"]?.intValue else { continue }
            var pools: [Pool] = []
            for (index, pool) in (subnet["pools"]?.arrayValue ?? []).enumerated() {
                guard let text = pool["pool"]?.stringValue else { continue }
                let range = text.filter { $0 != " " }
                pools.append(
                    Pool(
                        index: index,
                        range: range,
                        clientClass: pool["client-class"]?.stringValue,
                        addresses: document.section == "Dhcp4" ? IPv4.range(range) : nil
                    )
                )
            }
            if pools.contains(where: { $0.clientClass != nil }) { subnets[id] = pools }
        }
        self.subnets = subnets
    }

    /// Names each pool counter Kea reported (2.4+) with its range and class.
    package func label(_ statistics: inout KeaStatistics) {
        for index in statistics.subnets.indices {
            guard let pools = subnets[statistics.subnets[index].subnetID] else { continue }
            for position in statistics.subnets[index].pools.indices {
                let entry = statistics.subnets[index].pools[position].index
                guard let pool = pools.first(where: { $0.index == entry }) else { continue }
                statistics.subnets[index].pools[position].range = pool.range
                statistics.subnets[index].pools[position].clientClass = pool.clientClass
            }
        }
    }

    /// The subnets whose class-restricted pools Kea gave no counters for and keawatch can count
    /// from leases (DHCPv4 ranges).
    package func uncounted(in statistics: KeaStatistics) -> [Int] {
        statistics.subnets.compactMap { subnet in
            guard let pools = subnets[subnet.subnetID], subnet.pools.isEmpty,
                pools.allSatisfy({ $0.addresses != nil })
            else { return nil }
            return subnet.subnetID
        }
    }

    /// Per-pool counters of `subnet` from a `lease4-get-all` answer: leases in each pool's range,
    /// assigned (state 0, default, or 1, declined: Kea counts both) and declined; `total` is the
    /// range's size.
    package func counts(subnet: Int, leases: [(address: UInt32, state: Int)]) -> [PoolStatistics] {
        (subnets[subnet] ?? []).compactMap { pool in
            guard let addresses = pool.addresses else { return nil }
            var assigned = 0
            var declined = 0
            for lease in leases where addresses.contains(lease.address) {
                if lease.state == 0 || lease.state == DeclinedLeases.declinedState { assigned += 1 }
                if lease.state == DeclinedLeases.declinedState { declined += 1 }
            }
            return PoolStatistics(
                index: pool.index,
                total: Double(addresses.count),
                assigned: Double(assigned),
                declined: Double(declined),
                range: pool.range,
                clientClass: pool.clientClass
            )
        }
    }

    /// How many of these leases Kea counts as assigned (state 0, default, or 1, declined).
    package static func assignedCount(_ leases: [(address: UInt32, state: Int)]) -> Int {
        leases.count { $0.state == 0 || $0.state == DeclinedLeases.declinedState }
    }

    /// `(address, state)` of every IPv4 lease of a `lease4-get-all` answer, by subnet id.
    package static func leases(response: JSONValue) -> Result<[Int: [(address: UInt32, state: Int)]], PollFailure> {
        switch KeaAnswer.arguments(of: response) {
        case .failure(let failure):
            if failure.message.hasPrefix("result 3:") { return .success([:]) }  // no leases
            return .failure(failure)
        case .success(let (arguments, _)):
            var found: [Int: [(address: UInt32, state: Int)]] = [:]
            for lease in arguments["leases"]?.arrayValue ?? [] {
                guard let text = lease["ip-address"]?.stringValue, let address = IPv4.parse(text),
                    let subnet = lease["subnet-id"]?.intValue
                else { continue }
                found[subnet, default: []].append((address, lease["state"]?.intValue ?? 0))
            }
            return .success(found)
        }
    }
}

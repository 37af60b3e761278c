import Foundation
import KeawatchModel
import KeawatchReview
import Testing

/// Split pools, from answers recorded on the lab pair (`kea-lab up --split-pools 4,40`, 20 clients
/// leased: 4 of server1's clients got the whole HA_server1 half, the 5th was refused, server2's
/// got 11 of its 40): the layout comes from `config-get`, the per-pool counters from the leases.
@Suite struct PoolLayoutTests {
    static func fixture(_ name: String) throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("KeawatchPollingTests/Fixtures/\(name)")
        return try JSONValue.parse(Array(try Data(contentsOf: url)))
    }

    @Test func eachHalfIsCountedFromTheLeasesInItsRange() throws {
        let config = try KeaConfigDocument.decode(
            response: try Self.fixture("config-get__load-balancing__server1__split-pools-4-40.json")
        ).get()
        let layout = PoolLayout(config)
        #expect(layout.subnets.keys.sorted() == [1], "subnet 2's one pool has no class: nothing to split")
        #expect(layout.subnets[1]?.map(\.range) == ["198.18.0.150-198.18.0.153", "198.18.0.154-198.18.0.193"])
        let leases = try PoolLayout.leases(
            response: try Self.fixture("leases__load-balancing__server1__split-pools-4-of-4-11-of-40.json")
        ).get()
        let pools = layout.counts(subnet: 1, leases: leases[1] ?? [])
        #expect(
            pools == [
                PoolStatistics(
                    index: 0,
                    total: 4,
                    assigned: 4,
                    declined: 0,
                    range: "198.18.0.150-198.18.0.153",
                    clientClass: "HA_server1"
                ),
                PoolStatistics(
                    index: 1,
                    total: 40,
                    assigned: 11,
                    declined: 0,
                    range: "198.18.0.154-198.18.0.193",
                    clientClass: "HA_server2"
                ),
            ]
        )
        var subnet = SubnetStatistics(subnetID: 1, total: 44, assigned: 15)
        subnet.pools = pools
        #expect(subnet.fullestClassPool?.clientClass == "HA_server1")
        #expect(subnet.utilization.map { $0 < 0.35 } == true, "the subnet has room while one half is full")
    }

    @Test func kea24PoolCountersAreNamedAndNotCountedAgain() throws {
        let config = try KeaConfigDocument.decode(
            response: try Self.fixture("config-get__load-balancing__server1__split-pools-4-40.json")
        ).get()
        let layout = PoolLayout(config)
        var statistics = KeaStatistics(subnets: [
            SubnetStatistics(
                subnetID: 1,
                total: 44,
                assigned: 15,
                pools: [
                    PoolStatistics(index: 0, total: 4, assigned: 4), PoolStatistics(index: 1, total: 40, assigned: 11),
                ]
            ),
            SubnetStatistics(subnetID: 2, total: 65534, assigned: 0),
        ])
        #expect(layout.uncounted(in: statistics).isEmpty)
        layout.label(&statistics)
        #expect(statistics.subnets[0].pools.map(\.clientClass) == ["HA_server1", "HA_server2"])
        #expect(statistics.subnets[0].pools[0].range == "198.18.0.150-198.18.0.153")
        statistics.subnets[0].pools = []
        #expect(layout.uncounted(in: statistics) == [1])
    }
}

import KeawatchModel
import KeawatchPolling
import KeawatchReview
import Logging

/// Per-pool counters of one target's class-restricted pools (each half of a split load-balancing
/// pool) when Kea does not report them (before 2.4): its leases of those subnets from
/// `lease4-get-all` (the `lease_cmds` hook), counted per pool range. Asked only when a subnet's
/// counters or the layout changed, so a steady state costs nothing; given up for good (and said
/// once) when the hook is not loaded. Subnets with more leases than `limit` are left uncounted.
struct SplitPoolCounts {
    private struct Counted {
        var assigned: Double?
        var declined: Double?
        var pools: [PoolStatistics]
        /// The leases agreed with the subnet's `assigned-addresses` (a lease arriving between the
        /// two commands makes them differ): until they do, asked again at the next polls.
        var settled: Bool
        var attempts: Int
    }

    private var known: [Int: Counted] = [:]
    /// Asked again at most this often for the same counters when the leases did not agree with them.
    static let maximumAttempts = 3
    private var layout = PoolLayout()
    private var unsupported = false
    static let limit = 65_536.0

    mutating func attach(
        to statistics: inout KeaStatistics,
        layout newLayout: PoolLayout,
        target: KeaTarget,
        client: KeaClient,
        logger: Logger
    ) async {
        newLayout.label(&statistics)
        if newLayout != layout {
            layout = newLayout
            known = [:]
        }
        guard !unsupported, !layout.isEmpty, target.service != "dhcp6" else { return }
        let uncounted = layout.uncounted(in: statistics)
        let changed = uncounted.filter { id in
            guard let subnet = statistics.subnet(id), (subnet.assigned ?? 0) <= Self.limit else { return false }
            guard let previous = known[id] else { return true }
            return previous.assigned != subnet.assigned || previous.declined != subnet.declined
                || (!previous.settled && previous.attempts < Self.maximumAttempts)
        }
        if !changed.isEmpty {
            let answer = await client.send(
                .lease4GetAll,
                to: target,
                arguments: "{\"subnets\":[\(changed.map(String.init).joined(separator: ","))]}"
            )
            switch answer.flatMap({ PoolLayout.leases(response: $0.0) }) {
            case .success(let leases):
                for id in changed {
                    let subnet = statistics.subnet(id)
                    let held = leases[id] ?? []
                    let same = known[id].map { $0.assigned == subnet?.assigned && $0.declined == subnet?.declined }
                    known[id] = Counted(
                        assigned: subnet?.assigned,
                        declined: subnet?.declined,
                        pools: layout.counts(subnet: id, leases: held),
                        settled: Double(PoolLayout.assignedCount(held)) == subnet?.assigned,
                        attempts: same == true ? (known[id]?.attempts ?? 0) + 1 : 1
                    )
                }
            case .failure(let failure):
                if failure.message.hasPrefix("result \(KeaAnswer.unsupportedCommand):") {
                    unsupported = true
                    logger.notice(
                        "split pools not counted: the lease_cmds hook is not loaded",
                        metadata: ["kea.server": "\(target.name)"]
                    )
                }
            }
        }
        for index in statistics.subnets.indices {
            let id = statistics.subnets[index].subnetID
            guard uncounted.contains(id), let entry = known[id] else { continue }
            statistics.subnets[index].pools = entry.pools
        }
    }
}

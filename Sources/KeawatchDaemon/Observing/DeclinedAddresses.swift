import KeawatchModel
import KeawatchPolling
import KeawatchReview
import Logging

/// The declined addresses of one target's subnets, from its lease commands (`lease4-get-all` /
/// `lease6-get-all` with the subnets, needs the `lease_cmds` hook). Asked only when a subnet's
/// declined count changed, so a steady state costs nothing; given up for good (and said once)
/// when the hook is not loaded.
struct DeclinedAddresses {
    private var counts: [Int: Double] = [:]
    private var addresses: [Int: [String]] = [:]
    private var unsupported = false
    /// Listing more than this many declined leases is left to `review`.
    static let limit = 1000.0

    mutating func attach(
        to statistics: inout KeaStatistics,
        target: KeaTarget,
        client: KeaClient,
        logger: Logger
    ) async {
        guard !unsupported else { return }
        let declining = statistics.subnets.filter { ($0.declined ?? 0) > 0 && ($0.declined ?? 0) <= Self.limit }
        let changed = declining.filter { counts[$0.subnetID] != $0.declined }.map(\.subnetID)
        if !changed.isEmpty {
            let command: KeaCommand = target.service == "dhcp6" ? .lease6GetAll : .lease4GetAll
            let answer = await client.send(
                command,
                to: target,
                arguments: "{\"subnets\":[\(changed.map(String.init).joined(separator: ","))]}"
            )
            switch answer.flatMap({ DeclinedLeases.decode(response: $0.0) }) {
            case .success(let found):
                for subnet in changed {
                    addresses[subnet] = found[subnet] ?? []
                    counts[subnet] = statistics.subnet(subnet)?.declined
                }
            case .failure(let failure):
                if failure.message.hasPrefix("result \(KeaAnswer.unsupportedCommand):") {
                    unsupported = true
                    logger.notice(
                        "declined addresses unknown: the lease_cmds hook is not loaded",
                        metadata: ["kea.server": "\(target.name)"]
                    )
                }
            }
        }
        for index in statistics.subnets.indices {
            let id = statistics.subnets[index].subnetID
            if (statistics.subnets[index].declined ?? 0) == 0 {
                statistics.subnets[index].declinedAddresses = []
                counts[id] = nil
                addresses[id] = nil
            } else {
                statistics.subnets[index].declinedAddresses = addresses[id]
            }
        }
    }
}

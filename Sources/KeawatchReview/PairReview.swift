package import KeawatchModel

/// Everything `review` says about one HA pair (or one server in no pair): its subnets' utilization
/// from the server that holds its leases, and the findings, most severe first.
package struct PairReview: Sendable, Equatable {
    /// What one server gave the review.
    package struct Server: Sendable, Equatable {
        package var name: String
        package var configuration: KeaConfigDocument?
        /// Why there is no configuration (or statistics), when a command failed.
        package var problems: [String]

        package init(name: String, configuration: KeaConfigDocument?, problems: [String] = []) {
            self.name = name
            self.configuration = configuration
            self.problems = problems
        }
    }

    package var name: String
    package var servers: [String]
    /// Whose counters `subnets` are, and why (`primary`, `partner`, …); nil when none could be read.
    package var source: (server: String, reason: String)?
    package var subnets: [SubnetStatistics]
    package var findings: [ReviewFinding]

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.servers == rhs.servers && lhs.source?.server == rhs.source?.server
            && lhs.source?.reason == rhs.source?.reason && lhs.subnets == rhs.subnets && lhs.findings == rhs.findings
    }

    /// Reviews a pair from what its servers answered. Pure: the command does the asking.
    /// - Parameter declined: declined addresses by subnet id, from the source server's lease
    ///   commands (nil when `lease_cmds` is not loaded: the counts alone are reported).
    package init(
        name: String,
        servers: [Server],
        source: (server: String, reason: String)?,
        subnets: [SubnetStatistics],
        declined: [Int: [String]]? = nil
    ) {
        self.name = name
        self.servers = servers.map(\.name)
        self.source = source
        self.subnets = subnets
        var findings: [ReviewFinding] = []
        for server in servers {
            for problem in server.problems {
                findings.append(
                    ReviewFinding(kind: .unreadable, severity: .warning, message: "\(server.name): \(problem)")
                )
            }
        }
        let documents = servers.compactMap { server in server.configuration.map { (server.name, $0) } }
        if documents.count == 2 {
            let (first, second) = (documents[0], documents[1])
            for difference in ConfigComparison.differences(first.1, second.1) {
                findings.append(
                    ReviewFinding(
                        kind: .drift,
                        severity: .warning,
                        message: "\(difference.path) differs: \(first.0) has \(difference.first ?? "nothing"), "
                            + "\(second.0) has \(difference.second ?? "nothing")",
                        paths: [difference.path],
                        values: [(first.0, difference.first), (second.0, difference.second)]
                    )
                )
            }
        }
        findings += ReservationCheck.findings(documents.map { (server: $0.0, document: $0.1) })
        for (server, document) in documents {
            findings += HATimerLint.findings(document, server: server)
        }
        for subnet in subnets {
            guard let utilization = subnet.utilization, utilization >= 0.9 else { continue }
            findings.append(
                ReviewFinding(
                    kind: .utilization,
                    severity: utilization >= 0.98 ? .critical : .warning,
                    message: "subnet \(subnet.subnetID) is \(Self.percent(utilization)) full "
                        + "(\(Self.count(subnet.assigned)) of \(Self.count(subnet.total)) addresses)"
                )
            )
        }
        for subnet in subnets {
            for pool in subnet.pools where pool.clientClass != nil {
                guard let utilization = pool.utilization, utilization >= 0.9 else { continue }
                findings.append(
                    ReviewFinding(
                        kind: .utilization,
                        severity: utilization >= 0.98 ? .critical : .warning,
                        message: "subnet \(subnet.subnetID)'s pool \(pool.range ?? "pool[\(pool.index)]") for class "
                            + "\(pool.clientClass ?? "?") is \(Self.percent(utilization)) full "
                            + "(\(Self.count(pool.assigned)) of \(Self.count(pool.total)) addresses): that half runs out "
                            + "on its own"
                    )
                )
            }
        }
        for subnet in subnets {
            guard let count = subnet.declined, count > 0 else { continue }
            let addresses = declined?[subnet.subnetID] ?? []
            let listed = addresses.isEmpty ? "" : ": " + addresses.prefix(20).joined(separator: ", ")
            findings.append(
                ReviewFinding(
                    kind: .declined,
                    severity: .warning,
                    message: "subnet \(subnet.subnetID) has \(Self.count(count)) declined addresses\(listed) "
                        + "(clients found them already in use: a device with a static address, or a duplicate)",
                    values: addresses.map { (server: source?.server ?? "", value: $0) }
                )
            )
        }
        // Most severe first; otherwise in the order found (drift, reservations, settings).
        self.findings = findings.enumerated().sorted {
            $0.element.severity != $1.element.severity
                ? $0.element.severity > $1.element.severity : $0.offset < $1.offset
        }.map(\.element)
    }

    static func percent(_ ratio: Double) -> String {
        let tenths = (ratio * 1000).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int64(tenths / 10))%" : "\(tenths / 10)%"
    }

    static func count(_ value: Double?) -> String {
        guard let value else { return "?" }
        return value < 9e15 ? String(Int64(value)) : String(value)
    }
}

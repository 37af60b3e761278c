package import KeawatchModel

extension PairReview {
    /// For a person: the pair, its utilization, then each finding with its paths.
    package var text: String {
        var lines = ["pair \(name) (\(servers.joined(separator: ", ")))"]
        if let source {
            lines.append("  utilization, as \(source.server) counts it (\(source.reason)):")
            for subnet in subnets {
                let ratio = subnet.utilization.map(Self.percent) ?? "?"
                var line =
                    "    subnet \(subnet.subnetID): \(Self.count(subnet.assigned)) of \(Self.count(subnet.total)) assigned (\(ratio))"
                if let declined = subnet.declined, declined > 0 { line += ", \(Self.count(declined)) declined" }
                if let prefixes = subnet.totalPrefixes {
                    line += "; prefixes \(Self.count(subnet.assignedPrefixes)) of \(Self.count(prefixes))"
                }
                lines.append(line)
                for pool in subnet.pools where pool.clientClass != nil {
                    let share = pool.utilization.map(Self.percent) ?? "?"
                    lines.append(
                        "      pool \(pool.range ?? "pool[\(pool.index)]") (\(pool.clientClass ?? "")): "
                            + "\(Self.count(pool.assigned)) of \(Self.count(pool.total)) assigned (\(share))"
                    )
                }
            }
        } else {
            lines.append("  utilization: unknown (no server of the pair is operational with statistics)")
        }
        if findings.isEmpty {
            lines.append("  no findings")
        } else {
            lines.append("  findings:")
            for finding in findings {
                lines.append("    [\(finding.severity.rawValue)] \(finding.kind.rawValue): \(finding.message)")
                if finding.kind != .drift {
                    for path in finding.paths { lines.append("        at \(path)") }
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// For tools: one JSON object.
    package var json: JSONValue {
        let subnetValues = subnets.map { subnet -> JSONValue in
            func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
            return .object(
                JSONObject([
                    ("subnet", .number(Double(subnet.subnetID))), ("total", number(subnet.total)),
                    ("assigned", number(subnet.assigned)), ("declined", number(subnet.declined)),
                    ("utilization", number(subnet.utilization)), ("total_pds", number(subnet.totalPrefixes)),
                    ("assigned_pds", number(subnet.assignedPrefixes)),
                    (
                        "pools",
                        .array(
                            subnet.pools.filter { $0.clientClass != nil }.map { pool in
                                .object(
                                    JSONObject([
                                        ("pool", pool.range.map(JSONValue.string) ?? .null),
                                        ("client_class", pool.clientClass.map(JSONValue.string) ?? .null),
                                        ("total", number(pool.total)), ("assigned", number(pool.assigned)),
                                        ("declined", number(pool.declined)), ("utilization", number(pool.utilization)),
                                    ])
                                )
                            }
                        )
                    ),
                ])
            )
        }
        let findingValues = findings.map { finding -> JSONValue in
            .object(
                JSONObject([
                    ("kind", .string(finding.kind.rawValue)), ("severity", .string(finding.severity.rawValue)),
                    ("message", .string(finding.message)), ("paths", .array(finding.paths.map(JSONValue.string))),
                    (
                        "values",
                        .object(JSONObject(finding.values.map { ($0.server, $0.value.map(JSONValue.string) ?? .null) }))
                    ),
                ])
            )
        }
        return .object(
            JSONObject([
                ("pair", .string(name)), ("servers", .array(servers.map(JSONValue.string))),
                (
                    "source",
                    source.map { .object(["server": .string($0.server), "reason": .string($0.reason)]) } ?? .null
                ),
                ("subnets", .array(subnetValues)), ("findings", .array(findingValues)),
            ])
        )
    }
}

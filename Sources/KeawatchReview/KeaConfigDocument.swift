package import KeawatchModel

/// One server's configuration from `config-get`, secrets already redacted: the daemon's section
/// (`Dhcp4` or `Dhcp6`) and what `review` reads from it.
package struct KeaConfigDocument: Sendable, Equatable {
    /// `Dhcp4` or `Dhcp6`.
    package var section: String
    /// The section's contents, redacted.
    package var root: JSONValue

    package init(section: String, root: JSONValue) {
        self.section = section
        self.root = root
    }

    /// From a `config-get` response body: redacts first, then finds the daemon's section.
    package static func decode(response: JSONValue) -> Result<KeaConfigDocument, PollFailure> {
        switch KeaAnswer.arguments(of: response) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let (arguments, path)):
            let redacted = ConfigRedaction.redact(arguments)
            for section in ["Dhcp4", "Dhcp6"] {
                if let root = redacted[section], case .object = root {
                    return .success(KeaConfigDocument(section: section, root: root))
                }
            }
            return .failure(
                PollFailure(kind: .invalidResponse, message: "\(path): expected a Dhcp4 or Dhcp6 object")
            )
        }
    }

    /// The HA relationships configured in `hooks-libraries[].parameters.high-availability[]`.
    package var haRelationships: [(path: String, value: JSONValue)] {
        var found: [(String, JSONValue)] = []
        for (index, library) in (root["hooks-libraries"]?.arrayValue ?? []).enumerated() {
            for (position, relationship) in (library["parameters"]?["high-availability"]?.arrayValue ?? [])
                .enumerated()
            {
                found.append(
                    ("\(section).hooks-libraries[\(index)].parameters.high-availability[\(position)]", relationship)
                )
            }
        }
        return found
    }

    /// `subnet4`/`subnet6`, top level and inside shared networks, with their paths.
    package var subnets: [(path: String, value: JSONValue)] {
        let key = section == "Dhcp6" ? "subnet6" : "subnet4"
        var found: [(String, JSONValue)] = []
        for subnet in root[key]?.arrayValue ?? [] {
            found.append(("\(section).\(key)\(ConfigComparison.label(subnet, in: key))", subnet))
        }
        for network in root["shared-networks"]?.arrayValue ?? [] {
            let networkPath = "\(section).shared-networks\(ConfigComparison.label(network, in: "shared-networks"))"
            for subnet in network[key]?.arrayValue ?? [] {
                found.append(("\(networkPath).\(key)\(ConfigComparison.label(subnet, in: key))", subnet))
            }
        }
        return found
    }
}

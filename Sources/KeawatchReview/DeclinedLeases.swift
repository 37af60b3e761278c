package import KeawatchModel

/// The declined addresses in a `lease4-get-all` / `lease6-get-all` answer (lease `state` 1): each
/// one a client refused with DHCPDECLINE because it found the address already in use.
package enum DeclinedLeases {
    /// Lease state "declined" in Kea's lease commands.
    static let declinedState = 1

    /// Addresses by subnet id, sorted; a failure (e.g. `lease_cmds` not loaded: result 2) as is.
    package static func decode(response: JSONValue) -> Result<[Int: [String]], PollFailure> {
        switch KeaAnswer.arguments(of: response) {
        case .failure(let failure):
            // "0 IPv4 lease(s) found." is result 3 (empty), not an error.
            if failure.message.hasPrefix("result 3:") { return .success([:]) }
            return .failure(failure)
        case .success(let (arguments, _)):
            var found: [Int: [String]] = [:]
            for lease in arguments["leases"]?.arrayValue ?? [] where lease["state"]?.intValue == declinedState {
                guard let address = lease["ip-address"]?.stringValue, let subnet = lease["subnet-id"]?.intValue
                else { continue }
                found[subnet, default: []].append(address)
            }
            return .success(found.mapValues { $0.sorted() })
        }
    }
}

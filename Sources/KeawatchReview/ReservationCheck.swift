import KeawatchModel

/// Reservations that cannot all be honoured: one address reserved to two clients (within a server,
/// across its subnets, or across the two partners — the incident's 192.168.1.74), one client
/// reserved different addresses by the two partners, and a reserved address inside another
/// subnet's dynamic pool (Kea can lease it to someone else there).
package enum ReservationCheck {
    package static func findings(_ servers: [(server: String, document: KeaConfigDocument)]) -> [ReviewFinding] {
        var found: [ReviewFinding] = []
        let lists = servers.map { (server: $0.server, reservations: reservations(in: $0.document)) }
        for (server, list) in lists {
            for (address, holders) in Dictionary(grouping: list, by: \.address).sorted(by: { $0.key < $1.key }) {
                let identifiers = Set(holders.map(\.identifier))
                guard identifiers.count > 1 else { continue }
                found.append(
                    ReviewFinding(
                        kind: .reservation,
                        severity: .warning,
                        message:
                            "\(server): \(address) is reserved to \(identifiers.sorted().joined(separator: " and ")): "
                            + "two clients can be given the same address",
                        paths: holders.map(\.path)
                    )
                )
            }
        }
        if lists.count == 2 {
            let (firstServer, first) = lists[0]
            let (secondServer, second) = lists[1]
            let secondByAddress = Dictionary(grouping: second, by: \.address)
            let secondByIdentifier = Dictionary(grouping: second, by: \.identifier)
            var reported: Set<String> = []
            for reservation in first {
                for other in secondByAddress[reservation.address] ?? [] where other.identifier != reservation.identifier
                {
                    guard
                        reported.insert("a|\(reservation.address)|\(reservation.identifier)|\(other.identifier)")
                            .inserted
                    else { continue }
                    found.append(
                        ReviewFinding(
                            kind: .reservation,
                            severity: .warning,
                            message:
                                "\(reservation.address) is reserved to \(reservation.identifier) on \(firstServer) "
                                + "and to \(other.identifier) on \(secondServer): whichever partner answers decides who "
                                + "gets it, so both devices can end up with it",
                            paths: [reservation.path, other.path],
                            values: [(firstServer, reservation.identifier), (secondServer, other.identifier)]
                        )
                    )
                }
                for other in secondByIdentifier[reservation.identifier] ?? [] where other.address != reservation.address
                {
                    guard
                        reported.insert("i|\(reservation.identifier)|\(reservation.address)|\(other.address)").inserted
                    else { continue }
                    found.append(
                        ReviewFinding(
                            kind: .reservation,
                            severity: .warning,
                            message: "\(reservation.identifier) is reserved \(reservation.address) on \(firstServer) "
                                + "and \(other.address) on \(secondServer): the client's address depends on which "
                                + "partner answers",
                            paths: [reservation.path, other.path],
                            values: [(firstServer, reservation.address), (secondServer, other.address)]
                        )
                    )
                }
            }
        }
        for (server, document) in servers {
            let pools = pools(in: document)
            for reservation in lists.first(where: { $0.server == server })?.reservations ?? [] {
                guard let address = IPv4.parse(reservation.address) else { continue }
                for pool in pools where pool.subnet != reservation.subnet && pool.range.contains(address) {
                    found.append(
                        ReviewFinding(
                            kind: .reservation,
                            severity: .warning,
                            message:
                                "\(server): \(reservation.address), reserved to \(reservation.identifier) in subnet "
                                + "\(reservation.subnet.map(String.init) ?? "(global)"), lies in the dynamic pool of subnet "
                                + "\(pool.subnet.map(String.init) ?? "?"), which can lease it to another client",
                            paths: [reservation.path, pool.path]
                        )
                    )
                }
            }
        }
        return found
    }

    static func reservations(in document: KeaConfigDocument) -> [Reservation] {
        var found: [Reservation] = []
        func collect(_ list: JSONValue?, subnet: Int?, path: String) {
            for element in list?.arrayValue ?? [] {
                guard let key = Reservation.identifierKeys.first(where: { element[$0]?.stringValue != nil }),
                    let value = element[key]?.stringValue
                else { continue }
                let identifier = "\(key)=\(value.lowercased())"
                let elementPath = "\(path).reservations[\(key)=\(value)]"
                if let address = element["ip-address"]?.stringValue {
                    found.append(
                        Reservation(identifier: identifier, address: address, subnet: subnet, path: elementPath)
                    )
                }
                for address in element["ip-addresses"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    found.append(
                        Reservation(identifier: identifier, address: address, subnet: subnet, path: elementPath)
                    )
                }
            }
        }
        collect(document.root["reservations"], subnet: nil, path: document.section)
        for (path, subnet) in document.subnets {
            collect(subnet["reservations"], subnet: subnet["id"]?.intValue, path: path)
        }
        return found
    }

    struct Pool {
        var subnet: Int?
        var range: ClosedRange<UInt32>
        var path: String
    }

    static func pools(in document: KeaConfigDocument) -> [Pool] {
        var found: [Pool] = []
        for (path, subnet) in document.subnets {
            for pool in subnet["pools"]?.arrayValue ?? [] {
                guard let text = pool["pool"]?.stringValue, let range = IPv4.range(text) else { continue }
                found.append(Pool(subnet: subnet["id"]?.intValue, range: range, path: "\(path).pools[pool=\(text)]"))
            }
        }
        return found
    }
}

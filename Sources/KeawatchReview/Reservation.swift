/// One host reservation from a configuration: who (identifier) gets which address, and where it is.
struct Reservation: Sendable, Equatable {
    /// `hw-address=02:00:00:00:00:74`, `client-id=…`, `duid=…`, `circuit-id=…`, `flex-id=…`.
    var identifier: String
    var address: String
    /// The subnet's id (nil for a global reservation).
    var subnet: Int?
    /// JSON path of the reservation.
    var path: String

    static let identifierKeys = ["hw-address", "client-id", "duid", "circuit-id", "flex-id"]
}

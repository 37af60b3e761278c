/// The Kea control commands keawatch sends.
package enum KeaCommand: String, Sendable {
    case statusGet = "status-get"
    case versionGet = "version-get"
    case configGet = "config-get"
    case statLease4Get = "stat-lease4-get"
    case statisticGetAll = "statistic-get-all"
    case lease4GetAll = "lease4-get-all"
    case lease6GetAll = "lease6-get-all"
    case haHeartbeat = "ha-heartbeat"

    /// The request body: `{"command":…,"service":[…]}`, without `service` for a daemon's own socket.
    package func body(service: String?, arguments: String? = nil) -> [UInt8] {
        var text = "{\"command\":\"\(rawValue)\""
        if let arguments { text += ",\"arguments\":" + arguments }
        if let service {
            text += ",\"service\":["
            text += "\"" + service.filter { $0.isLetter || $0.isNumber || $0 == "-" } + "\""
            text += "]"
        }
        text += "}"
        return Array(text.utf8)
    }
}

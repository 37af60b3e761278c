import KeawatchModel

/// HA settings checked against ISC's published advice (Kea ARM, "High Availability"), as
/// low-severity findings: they do not break a pair today, they make it misjudge a failure.
package enum HATimerLint {
    /// Kea's defaults, in milliseconds (and clients).
    static let defaultHeartbeatDelay = 10000.0
    static let defaultMaxResponseDelay = 60000.0
    static let defaultMaxAckDelay = 10000.0
    static let defaultMaxUnackedClients = 10.0

    package static func findings(_ document: KeaConfigDocument, server: String) -> [ReviewFinding] {
        var found: [ReviewFinding] = []
        for (path, relationship) in document.haRelationships {
            let mode = relationship["mode"]?.stringValue ?? "load-balancing"
            guard mode == "load-balancing" || mode == "hot-standby" else { continue }
            let heartbeat = relationship["heartbeat-delay"]?.numberValue ?? defaultHeartbeatDelay
            let response = relationship["max-response-delay"]?.numberValue ?? defaultMaxResponseDelay
            let ack = relationship["max-ack-delay"]?.numberValue ?? defaultMaxAckDelay
            let unacked = relationship["max-unacked-clients"]?.numberValue ?? defaultMaxUnackedClients
            if response <= heartbeat {
                found.append(
                    ReviewFinding(
                        kind: .haSettings,
                        severity: .info,
                        message: "\(server): max-response-delay (\(ms(response))) is not greater than heartbeat-delay "
                            + "(\(ms(heartbeat))): one late heartbeat counts as lost contact, giving false "
                            + "communication-interrupted; ISC advises several heartbeats (defaults 60000 / 10000 ms)",
                        paths: ["\(path).max-response-delay", "\(path).heartbeat-delay"]
                    )
                )
            }
            if unacked == 0 {
                found.append(
                    ReviewFinding(
                        kind: .haSettings,
                        severity: .info,
                        message: "\(server): max-unacked-clients is 0: failure detection by unanswered clients is off, "
                            + "so the server declares partner-down as soon as max-response-delay passes, even when only "
                            + "the link between the partners failed and the partner still serves (split brain risk)",
                        paths: ["\(path).max-unacked-clients"]
                    )
                )
            }
            if ack >= response {
                found.append(
                    ReviewFinding(
                        kind: .haSettings,
                        severity: .info,
                        message: "\(server): max-ack-delay (\(ms(ack))) is not less than max-response-delay "
                            + "(\(ms(response))): unanswered clients cannot be counted before contact is declared lost",
                        paths: ["\(path).max-ack-delay", "\(path).max-response-delay"]
                    )
                )
            }
        }
        return found
    }

    private static func ms(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? "\(Int64(value)) ms" : "\(value) ms"
    }
}

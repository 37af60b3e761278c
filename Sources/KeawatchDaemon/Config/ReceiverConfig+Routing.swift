import KeawatchNotify
import KeawatchRouting

extension ReceiverConfig {
    /// How often the router must repeat a firing alert to this receiver at least, whatever the
    /// route's `repeat_interval`: Alertmanager drops alerts not re-sent before their `endsAt`
    /// (now + `resend_validity`), so they go again every third of it.
    var maximumRepeat: Duration? {
        guard case .service(.alertmanager(_, let validity), _, _, _) = kind else { return nil }
        return validity / 3
    }

    /// Whether the receiver groups and waits itself (Alertmanager): it hears of every change at
    /// once, with no `group_wait` or `group_interval` of ours in front of its own.
    var groupsItself: Bool {
        if case .service(.alertmanager, _, _, _) = kind { return true }
        return false
    }
}

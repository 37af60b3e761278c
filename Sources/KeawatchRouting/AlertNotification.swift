package import KeawatchModel

/// One message to one receiver: a group of alerts (a burst becomes one message), each firing or
/// resolved. Built by routing and grouping; rendered by each receiver type.
package struct AlertNotification: Sendable, Equatable {
    package struct Item: Sendable, Equatable {
        package enum Status: String, Sendable {
            case firing
            case resolved
        }

        package var alert: Alert
        package var status: Status
        package var reminder: Bool
        /// Firing, and already sent firing to this receiver: in the message for the group's whole
        /// picture, not news (per-alert receivers such as PagerDuty skip it unless it is a reminder).
        package var repeated: Bool
        /// Symptoms this alert explains ("RULE: summary"), shown inside its message instead of
        /// being sent on their own.
        package var alsoObserved: [String]

        package init(
            alert: Alert,
            status: Status,
            reminder: Bool = false,
            repeated: Bool = false,
            alsoObserved: [String] = []
        ) {
            self.alert = alert
            self.status = status
            self.reminder = reminder
            self.repeated = repeated
            self.alsoObserved = alsoObserved
        }
    }

    package var receiver: String
    /// Identifies the group (route + grouping labels), stable across messages.
    package var groupKey: String
    package var groupLabels: [(name: String, value: String)]
    package var items: [Item]
    /// Stable for this exact message: receivers that deduplicate use it.
    package var idempotencyKey: String
    /// Where people can see keawatch's own view (the agent's status page), if configured.
    package var externalURL: String
    /// The idempotency key of the notification this one follows up (a resolve after its firing),
    /// so that mail threads and chat replies can tell one story.
    package var followsUp: String?

    package init(
        receiver: String,
        groupKey: String,
        groupLabels: [(name: String, value: String)],
        items: [Item],
        idempotencyKey: String,
        externalURL: String = "",
        followsUp: String? = nil
    ) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.items = items
        self.idempotencyKey = idempotencyKey
        self.externalURL = externalURL
        self.followsUp = followsUp
    }

    /// Firing when any alert in it fires.
    package var status: Item.Status {
        items.contains { $0.status == .firing } ? .firing : .resolved
    }

    /// Labels every alert shares.
    package var commonLabels: [(name: String, value: String)] {
        guard let first = items.first?.alert.labels else { return [] }
        return first.filter { label in items.allSatisfy { $0.alert.label(label.name) == label.value } }
    }

    package static func == (lhs: AlertNotification, rhs: AlertNotification) -> Bool {
        lhs.receiver == rhs.receiver && lhs.groupKey == rhs.groupKey && lhs.items == rhs.items
            && lhs.idempotencyKey == rhs.idempotencyKey && lhs.groupLabels.elementsEqual(rhs.groupLabels, by: ==)
    }
}

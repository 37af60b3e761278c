package import KeawatchRouting

/// Something that delivers notifications: a webhook, a chat service, mail. The outbox sender only
/// knows this seam.
package protocol Receiver: Sendable {
    func deliver(_ notification: AlertNotification) async -> DeliveryOutcome
}

extension WebhookSender: Receiver {
    package func deliver(_ notification: AlertNotification) async -> DeliveryOutcome {
        await send(notification)
    }
}

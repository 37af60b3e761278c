package import KeawatchCurl
import KeawatchModel
package import KeawatchRouting

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The `email` receiver: one mail per notification, threaded (a resolve replies to its firing mail).
package struct EmailReceiver: Receiver {
    package let sender: MailSender
    package let templates: MessageTemplates
    private let now: @Sendable () -> Date

    package init(
        transport: any Transport,
        settings: EmailSettings,
        templates: MessageTemplates = .defaults,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.sender = MailSender(transport: transport, settings: settings)
        self.templates = templates
        self.now = now
    }

    package func deliver(_ notification: AlertNotification) async -> DeliveryOutcome {
        await sender.send(message(for: notification))
    }

    package func message(for notification: AlertNotification) -> MailMessage {
        MailMessage(
            from: sender.settings.from,
            to: sender.settings.to,
            subject: templates.render(\.subject, notification).trimmingTrailingNewlines,
            text: templates.render(\.text, notification),
            html: templates.render(\.html, notification),
            date: now(),
            messageID: "\(notification.idempotencyKey)@keawatch",
            inReplyTo: notification.followsUp.map { "\($0)@keawatch" },
            extraHeaders: [("X-Keawatch-Group", notification.groupKey)]
        )
    }
}

public import KeawatchCurl
import KeawatchModel
public import KeawatchRouting

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The `email` receiver: one mail per notification, threaded (a resolve replies to its firing mail).
public struct EmailReceiver: Receiver {
    public let sender: MailSender
    public let templates: MessageTemplates
    private let now: @Sendable () -> Date

    public init(
        transport: any Transport,
        settings: EmailSettings,
        templates: MessageTemplates = .defaults,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.sender = MailSender(transport: transport, settings: settings)
        self.templates = templates
        self.now = now
    }

    public func deliver(_ notification: AlertNotification) async -> DeliveryOutcome {
        await sender.send(message(for: notification))
    }

    public func message(for notification: AlertNotification) -> MailMessage {
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

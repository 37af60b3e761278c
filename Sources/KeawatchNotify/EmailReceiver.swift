public import KeawatchCurl
import KeawatchModel

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The `email` receiver: one mail per notification, threaded (a resolve replies to its firing mail).
public struct EmailReceiver: Receiver {
    public let sender: MailSender
    private let now: @Sendable () -> Date

    public init(transport: any Transport, settings: EmailSettings, now: @escaping @Sendable () -> Date = { Date() }) {
        self.sender = MailSender(transport: transport, settings: settings)
        self.now = now
    }

    public func deliver(_ notification: AlertNotification) async -> DeliveryOutcome {
        await sender.send(message(for: notification))
    }

    public func message(for notification: AlertNotification) -> MailMessage {
        var text = notification.lines.joined(separator: "\n") + "\n"
        var html = "<h3>\(Self.escape(notification.title))</h3>\n<ul>\n"
        for item in notification.items {
            let alert = item.alert
            let labels = alert.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            text += "\n\(alert.rule) (\(item.status.rawValue))\n  \(alert.summary)\n"
            if !alert.description.isEmpty { text += "  \(alert.description)\n" }
            text += "  labels: \(labels)\n  since: \(Timestamp.format(alert.startsAt))\n"
            html += "<li><b>\(Self.escape(item.status.rawValue.uppercased())) [\(alert.severity.rawValue)]</b> "
            html +=
                "\(Self.escape(alert.summary))<br><small>\(Self.escape(alert.description))<br>\(Self.escape(labels))</small></li>\n"
        }
        html += "</ul>\n"
        if !notification.externalURL.isEmpty {
            text += "\n\(notification.externalURL)\n"
            html += "<p><a href=\"\(Self.escape(notification.externalURL))\">keawatch</a></p>\n"
        }
        return MailMessage(
            from: sender.settings.from,
            to: sender.settings.to,
            subject: notification.title,
            text: text,
            html: html,
            date: now(),
            messageID: "\(notification.idempotencyKey)@keawatch",
            inReplyTo: notification.followsUp.map { "\($0)@keawatch" },
            extraHeaders: [("X-Keawatch-Group", notification.groupKey)]
        )
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

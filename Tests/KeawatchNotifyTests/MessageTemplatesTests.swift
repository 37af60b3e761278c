import Foundation
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import Testing

@Suite struct MessageTemplatesTests {
    @Test func defaultMailTextListsEveryAlertWithItsLabels() throws {
        let receiver = EmailReceiver(
            transport: CurlTransport(maxConcurrentTransfers: 1),
            settings: EmailSettings(smtpURL: "smtp://127.0.0.1:1", from: "a@example.test", to: ["b@example.test"]),
            now: { Date(timeIntervalSince1970: 0) }
        )
        let message = receiver.message(for: WebhookDeliveryTests.notification([.firing, .resolved]))
        #expect(message.subject == "[FIRING:1] KeaHAPartnerDown (server1, server2)")
        #expect(
            message.text.contains(
                "FIRING [critical] KeaHAPartnerDown\n  server1 in partner-down\n  serves alone\n  labels: severity=critical target=server1"
            )
        )
        #expect(message.text.contains("RESOLVED [critical] KeaHAPartnerDown"))
        #expect(message.text.contains("ended: 2025-11-12T19:22:55.000Z"))
        #expect(message.html.contains("<h3>[FIRING:1] KeaHAPartnerDown (server1, server2)</h3>"))
    }

    @Test func overridesReplaceOnlyTheNamedTemplateAndHTMLIsEscaped() throws {
        let templates = try MessageTemplates(overrides: [
            "subject": "Kea: {{firingCount}} firing <{{receiver}}>", "html": "<p>{{title}} & {{receiver}}</p>",
        ])
        var notification = WebhookDeliveryTests.notification()
        notification.receiver = "a<b>"
        #expect(templates.render(\.subject, notification) == "Kea: 2 firing <a<b>>")
        // Values are escaped, the template's own text is not.
        #expect(templates.render(\.html, notification).hasSuffix("& a&lt;b&gt;</p>"))
        #expect(templates.render(\.chat, notification).hasPrefix("FIRING [critical] server1 in partner-down"))
    }

    @Test func aTemplateThatDoesNotParseIsNamed() {
        #expect(throws: MessageTemplates.TemplateError.self) {
            try MessageTemplates(overrides: ["text": "{{#alerts}} unclosed"])
        }
        do {
            _ = try MessageTemplates(overrides: ["text": "{{#alerts}} unclosed"])
        } catch {
            #expect(error.name == "text")
        }
    }
}

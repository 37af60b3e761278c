import KeawatchModel
package import KeawatchRouting
package import Mustache

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The text of messages, as Mustache templates: defaults shipped here, each overridable per
/// receiver (`templates` in the config). Subject, text and chat templates are plain text (no HTML
/// escaping); the HTML template escapes `{{…}}` as HTML.
package struct MessageTemplates: Sendable {
    package var subject: MustacheTemplate
    package var text: MustacheTemplate
    package var html: MustacheTemplate
    package var chat: MustacheTemplate

    static let plain = "{{% CONTENT_TYPE: TEXT}}"

    /// The shipped templates (they always parse).
    package static let defaults: MessageTemplates = try! MessageTemplates()

    package static let defaultSources: [String: String] = [
        "subject": "{{title}}",
        "text": """
        {{#alerts}}
        {{statusText}} [{{severity}}] {{rule}}
          {{summary}}
        {{#description}}
          {{description}}
        {{/description}}
          labels: {{#labels}}{{name}}={{value}} {{/labels}}
          since: {{startsAt}}{{#endsAt}}, ended: {{endsAt}}{{/endsAt}}
        {{#alsoObserved}}
          also observed: {{.}}
        {{/alsoObserved}}

        {{/alerts}}
        {{#externalURL}}{{externalURL}}
        {{/externalURL}}
        """,
        "html": """
        <h3>{{title}}</h3>
        <ul>
        {{#alerts}}
        <li><b>{{statusText}} [{{severity}}]</b> {{summary}}<br><small>{{description}}<br>{{#labels}}{{name}}={{value}} {{/labels}}<br>since {{startsAt}}{{#alsoObserved}}<br>also observed: {{.}}{{/alsoObserved}}</small></li>
        {{/alerts}}
        </ul>
        {{#externalURL}}<p><a href="{{externalURL}}">keawatch</a></p>{{/externalURL}}
        """,
        "chat": """
        {{#alerts}}
        {{statusText}} [{{severity}}] {{summary}}
        {{#alsoObserved}}
          also observed: {{.}}
        {{/alsoObserved}}
        {{/alerts}}
        """,
    ]

    /// The defaults, with `overrides` (by name) replacing some; a template that does not parse is
    /// an error naming it.
    package init(overrides: [String: String] = [:]) throws(TemplateError) {
        func load(_ name: String) throws(TemplateError) -> MustacheTemplate {
            let source = overrides[name] ?? Self.defaultSources[name]!
            do {
                // On a line of its own, the pragma leaves no trace in the output.
                return try MustacheTemplate(string: name == "html" ? source : Self.plain + "\n" + source)
            } catch {
                throw TemplateError(name: name, message: "\(error)")
            }
        }
        subject = try load("subject")
        text = try load("text")
        html = try load("html")
        chat = try load("chat")
    }

    package struct TemplateError: Error, Sendable, CustomStringConvertible {
        package var name: String
        package var message: String
        package var description: String { "template \"\(name)\" does not parse: \(message)" }
    }

    /// The values templates see: `title`, `status`, `receiver`, `groupKey`, `externalURL`,
    /// `firingCount`, `resolvedCount`, and `alerts` (each: `rule`, `severity`, `status`,
    /// `statusText`, `summary`, `description`, `labels` [{name, value}], `startsAt`, `endsAt`,
    /// `fingerprint`, `reminder`, `alsoObserved` [the symptoms it explains, as text]).
    static func context(_ notification: AlertNotification) -> [String: Any] {
        let alerts: [[String: Any]] = notification.items.map { item in
            let alert = item.alert
            var values: [String: Any] = [
                "rule": alert.rule, "severity": alert.severity.rawValue, "status": item.status.rawValue,
                "statusText": item.status == .resolved ? "RESOLVED" : item.reminder ? "STILL FIRING" : "FIRING",
                "summary": alert.summary, "description": alert.description,
                "labels": alert.labels.map { ["name": $0.name, "value": $0.value] },
                "startsAt": Timestamp.format(alert.startsAt), "fingerprint": alert.fingerprint,
                "reminder": item.reminder, "alsoObserved": item.alsoObserved,
            ]
            if item.status == .resolved, let endsAt = alert.endsAt { values["endsAt"] = Timestamp.format(endsAt) }
            return values
        }
        return [
            "title": notification.title, "status": notification.status.rawValue, "receiver": notification.receiver,
            "groupKey": notification.groupKey, "externalURL": notification.externalURL, "alerts": alerts,
            "firingCount": notification.items.filter { $0.status == .firing }.count,
            "resolvedCount": notification.items.filter { $0.status == .resolved }.count,
        ]
    }

    package func render(
        _ template: KeyPath<MessageTemplates, MustacheTemplate>,
        _ notification: AlertNotification
    ) -> String {
        self[keyPath: template].render(Self.context(notification))
    }
}

import KeawatchModel
package import KeawatchRouting

extension AlertNotification {
    /// The Alertmanager webhook (version 4) body that generic webhook receivers understand.
    package var alertmanagerWebhookBody: [UInt8] {
        func labels(_ pairs: [(name: String, value: String)]) -> JSONValue {
            .object(JSONObject(pairs.map { (key: $0.name, value: JSONValue.string($0.value)) }))
        }
        // Alertmanager puts the alert name among the labels.
        let named = items.map { [(name: "alertname", value: $0.alert.rule)] + $0.alert.labels }
        let common = (named.first ?? []).filter { label in
            named.allSatisfy { $0.contains { $0.name == label.name && $0.value == label.value } }
        }
        var commonAnnotations: [(name: String, value: String)] = []
        if let first = items.first?.alert, items.allSatisfy({ $0.alert.summary == first.summary }) {
            commonAnnotations.append(("summary", first.summary))
        }
        let alerts = items.map { item -> JSONValue in
            .object(
                JSONObject([
                    ("status", .string(item.status.rawValue)),
                    ("labels", labels([(name: "alertname", value: item.alert.rule)] + item.alert.labels)),
                    (
                        "annotations",
                        labels(
                            [
                                ("summary", item.alert.summary), ("description", item.alert.description),
                                ("also_observed", item.alsoObserved.joined(separator: "\n")),
                            ].filter { !$0.1.isEmpty }
                        )
                    ),
                    ("startsAt", .string(Timestamp.format(item.alert.startsAt))),
                    (
                        "endsAt",
                        .string(
                            item.status == .resolved
                                ? Timestamp.format(item.alert.endsAt ?? item.alert.startsAt) : "0001-01-01T00:00:00Z"
                        )
                    ),
                    ("generatorURL", .string(externalURL)),
                    ("fingerprint", .string(item.alert.fingerprint)),
                ])
            )
        }
        let body = JSONValue.object(
            JSONObject([
                ("version", .string("4")),
                ("groupKey", .string(groupKey)),
                ("truncatedAlerts", .number(0)),
                ("status", .string(status.rawValue)),
                ("receiver", .string(receiver)),
                ("groupLabels", labels(groupLabels)),
                ("commonLabels", labels(common)),
                ("commonAnnotations", labels(commonAnnotations)),
                ("externalURL", .string(externalURL)),
                ("alerts", .array(alerts)),
            ])
        )
        return Array(body.serialized.utf8)
    }
}

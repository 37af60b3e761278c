package import KeawatchModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension AlertNotification {
    /// The notification as stored in the outbox (JSON), and back.
    package var storedJSON: [UInt8] {
        func labels(_ pairs: [(name: String, value: String)]) -> JSONValue {
            .array(pairs.map { .array([.string($0.name), .string($0.value)]) })
        }
        let items = items.map { item -> JSONValue in
            .object(
                JSONObject([
                    ("status", .string(item.status.rawValue)), ("reminder", .bool(item.reminder)),
                    ("repeated", .bool(item.repeated)), ("alert", item.alert.json),
                    ("alsoObserved", .array(item.alsoObserved.map(JSONValue.string))),
                ])
            )
        }
        return Array(
            JSONValue.object(
                JSONObject([
                    ("receiver", .string(receiver)),
                    ("groupKey", .string(groupKey)),
                    ("groupLabels", labels(groupLabels)),
                    ("idempotencyKey", .string(idempotencyKey)),
                    ("externalURL", .string(externalURL)),
                    ("followsUp", followsUp.map { .string($0) } ?? .null),
                    ("items", .array(items)),
                ])
            ).serialized.utf8
        )
    }

    package init(storedJSON bytes: [UInt8]) throws(JSONShapeError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw JSONShapeError(path: .root, expected: "a stored notification", found: error.description)
        }
        func labels(_ value: JSONValue?) -> [(name: String, value: String)] {
            (value?.arrayValue ?? []).compactMap { pair in
                guard let parts = pair.arrayValue, parts.count == 2, let name = parts[0].stringValue,
                    let text = parts[1].stringValue
                else { return nil }
                return (name, text)
            }
        }
        var items: [Item] = []
        for item in value["items"]?.arrayValue ?? [] {
            guard let alert = item["alert"],
                let status = item["status"]?.stringValue.flatMap(Item.Status.init(rawValue:))
            else {
                throw JSONShapeError(path: .root.appending("items"), expected: "stored alerts")
            }
            items.append(
                Item(
                    alert: try Alert(json: alert),
                    status: status,
                    reminder: item["reminder"]?.boolValue ?? false,
                    repeated: item["repeated"]?.boolValue ?? false,
                    alsoObserved: (item["alsoObserved"]?.arrayValue ?? []).compactMap(\.stringValue)
                )
            )
        }
        self.init(
            receiver: value["receiver"]?.stringValue ?? "",
            groupKey: value["groupKey"]?.stringValue ?? "",
            groupLabels: labels(value["groupLabels"]),
            items: items,
            idempotencyKey: value["idempotencyKey"]?.stringValue ?? "",
            externalURL: value["externalURL"]?.stringValue ?? "",
            followsUp: value["followsUp"]?.stringValue
        )
    }
}

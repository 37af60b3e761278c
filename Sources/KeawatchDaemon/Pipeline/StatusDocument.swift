import KeawatchModel
import KeawatchNotify
import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `/api/v1/status` (and the status page built on it), rendered from snapshots of the evaluation
/// and the delivery. Pure: snapshots and the time in, the document out.
enum StatusDocument {
    static func render(_ evaluation: EvaluationSnapshot, _ delivery: DeliverySnapshot, at now: Date) -> JSONValue {
        .object(
            JSONObject([
                ("healthy", .bool(evaluation.health.healthy)), ("health", .string(evaluation.health.reason)),
                ("targets", .array(evaluation.targets.map(target))),
                (
                    "pairs",
                    .array(
                        evaluation.pairs.map {
                            .object(["name": .string($0.name), "targets": .array($0.targets.map(JSONValue.string))])
                        }
                    )
                ),
                ("alerts", .array(evaluation.alerts.map(alert))),
                (
                    "receivers",
                    .array(
                        evaluation.receivers.map { receiver in
                            .object(
                                JSONObject([
                                    ("name", .string(receiver.name)), ("type", .string(receiver.type)),
                                    ("destination", .string(receiver.destination)),
                                    ("last_error", delivery.lastErrors[receiver.name].map(JSONValue.string) ?? .null),
                                ])
                            )
                        }
                    )
                ),
                (
                    "outbox",
                    .object(
                        JSONObject([
                            ("depth", .number(Double(delivery.depth.count))),
                            ("oldest_age_seconds", delivery.depth.oldest.map { .number($0.seconds) } ?? .null),
                            (
                                "last_errors",
                                .object(
                                    JSONObject(
                                        delivery.lastErrors.sorted { $0.key < $1.key }.map {
                                            ($0.key, .string($0.value))
                                        }
                                    )
                                )
                            ),
                        ])
                    )
                ),
                (
                    "dead_letters",
                    .array(
                        delivery.deadLetters.map {
                            .object([
                                "id": .number(Double($0.id)), "receiver": .string($0.receiver),
                                "reason": .string($0.reason),
                            ])
                        }
                    )
                ),
                ("silences", .array(evaluation.silences.map { $0.json(at: now) })),
            ])
        )
    }

    private static func target(_ target: EvaluationSnapshot.Target) -> JSONValue {
        var entry = JSONObject([("name", .string(target.name)), ("url", .string(target.url))])
        if let observation = target.observation {
            entry["at"] = .string(Timestamp.format(observation.at))
            entry["reachable"] = .bool(observation.isReachable)
            if let failure = observation.failure {
                entry["error"] = .object([
                    "kind": .string(failure.kind.rawValue), "message": .string(failure.message),
                ])
            }
            if let status = observation.status {
                entry["ha"] = .array(status.relationships.map(relationship))
            }
        }
        entry["maintenance"] = .bool(target.maintenance)
        return .object(entry)
    }

    private static func relationship(_ relationship: HARelationshipStatus) -> JSONValue {
        var object = JSONObject([
            ("mode", .string(relationship.mode)),
            ("local-role", .string(relationship.local.role)),
            ("local-state", .string(relationship.local.state.rawValue)),
        ])
        if let remote = relationship.remote {
            object["remote-role"] = .string(remote.role)
            object["remote-state"] = .string(remote.lastState.rawValue)
            object["in-touch"] = .bool(remote.inTouch)
            object["communication-interrupted"] = .bool(remote.communicationInterrupted)
            object["age"] = remote.age.map { .number(Double($0)) } ?? .null
            object["unacked-clients"] = .number(Double(remote.unackedClients))
        }
        return .object(object)
    }

    private static func alert(_ entry: EvaluationSnapshot.AlertEntry) -> JSONValue {
        switch entry {
        case .pending(let rule, let subject, let since):
            return .object(
                JSONObject([
                    ("rule", .string(rule)), ("subject", .string(subject)), ("state", .string("pending")),
                    ("since", .string(Timestamp.format(since))),
                ])
            )
        case .firing(let alert, let suppressed):
            var object = alert.json.objectValue ?? JSONObject()
            object["state"] = .string("firing")
            if let suppressed { object["suppressed"] = .string(suppressed) }
            return .object(object)
        }
    }
}

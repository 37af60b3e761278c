import KeawatchModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Engine checkpoints (`Checkpoint`): JSON, written here, read by `Engine.restore(_:)`.
extension EngineState {
    package func checkpoint() -> [UInt8] {
        func name(_ code: UInt16?) -> String? {
            guard let code, code != Vocabulary.absent else { return nil }
            return vocabulary.name(code)
        }
        func sorted<Value>(_ entries: [AlertKey: Value]) -> [(key: AlertKey, value: Value)] {
            entries.sorted { $0.key < $1.key }
        }
        let document = Checkpoint(
            version: Checkpoint.currentVersion,
            targets: targetNames.indices.map { id in
                let history = histories[id]
                return Checkpoint.Target(
                    name: targetNames[id],
                    latest: history.latest.map { SampleRecord($0, vocabulary: vocabulary) },
                    failure: history.lastFailureMessage,
                    names: history.relationshipNames.map { $0.sorted() },
                    roles: history.relationshipRoles
                )
            },
            alerts: sorted(alerts).map {
                .init(rule: ruleNames[$0.key.rule], subject: subject($0.key), state: $0.value)
            },
            trackers: sorted(trackers).map {
                .init(
                    rule: ruleNames[$0.key.rule],
                    subject: subject($0.key),
                    current: name($0.value.current),
                    walk: $0.value.walk.map { name($0) },
                    since: $0.value.since
                )
            },
            lastValues: sorted(lastValues).map {
                .init(rule: ruleNames[$0.key.rule], subject: subject($0.key), value: name($0.value))
            },
            episodes: sorted(episodes).map {
                .init(
                    rule: ruleNames[$0.key.rule],
                    subject: subject($0.key),
                    holding: $0.value.holding,
                    starts: $0.value.starts,
                    lastHeld: $0.value.lastHeld
                )
            }
        )
        // Every value in it is encodable; a failure here would be a programming error.
        return (try? Array(JSONEncoder().encode(document))) ?? []
    }

    private func subject(_ key: AlertKey) -> Checkpoint.Subject {
        switch key.subject {
        case .target(let target): .init(target: targetNames[target])
        case .relationship(let target, let index): .init(target: targetNames[target], relationship: index)
        case .pair(let pair): .init(pair: pairNames[pair])
        case .subnet(let subnet):
            .init(owner: subnetSubjects[subnet].owner, subnet: subnetSubjects[subnet].subnet)
        }
    }
}

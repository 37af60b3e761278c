import GRDB
import KeawatchModel
public import KeawatchNotify

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One change of what a target reports (reachability, HA states), kept for `state_history`.
public struct StateChange: Sendable, Equatable {
    public var target: String
    public var at: Date
    /// A short JSON object: `{"reachable":…,"states":[…]}` or the failure kind.
    public var summary: String

    public init(target: String, at: Date, summary: String) {
        self.target = target
        self.at = at
        self.summary = summary
    }
}

extension SQLiteStore {
    /// How long state changes are kept.
    public static let stateHistoryRetention: Duration = .seconds(7 * 24 * 3600)

    /// Adds or replaces a silence.
    public func save(_ silence: Silence) async throws {
        let matchers = JSONValue.array(
            silence.matchers.map {
                .object(
                    JSONObject([
                        ("name", .string($0.name)), ("op", .string($0.operation.rawValue)),
                        ("value", .string($0.value)),
                    ])
                )
            }
        ).serialized
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO silences (id, matchers, comment, created_by, starts_at, ends_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    silence.id, matchers, silence.comment, silence.createdBy, silence.startsAt.timeIntervalSince1970,
                    silence.endsAt.timeIntervalSince1970,
                ]
            )
        }
    }

    /// Ends a silence now; false when there is no such silence or it already ended.
    public func expireSilence(_ id: String, at now: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?",
                arguments: [now.timeIntervalSince1970, id, now.timeIntervalSince1970]
            )
            return db.changesCount > 0
        }
    }

    /// Silences that have not ended, or ended less than a day before `now` (older ones are removed).
    public func silences(at now: Date) async throws -> [Silence] {
        try await database.write { db in
            try db.execute(
                sql: "DELETE FROM silences WHERE ends_at < ?",
                arguments: [now.timeIntervalSince1970 - 24 * 3600]
            )
            return try Row.fetchAll(db, sql: "SELECT * FROM silences ORDER BY starts_at, id").compactMap { row in
                let text: String = row["matchers"]
                let matchers = (try? JSONValue.parse(Array(text.utf8)))?.arrayValue ?? []
                return Silence(
                    id: row["id"],
                    matchers: matchers.compactMap { value in
                        guard let name = value["name"]?.stringValue,
                            let operation = value["op"]?.stringValue.flatMap(LabelMatcher.Operation.init(rawValue:)),
                            let text = value["value"]?.stringValue
                        else { return nil }
                        return LabelMatcher(name: name, operation: operation, value: text)
                    },
                    comment: row["comment"],
                    createdBy: row["created_by"],
                    startsAt: Date(timeIntervalSince1970: row["starts_at"]),
                    endsAt: Date(timeIntervalSince1970: row["ends_at"])
                )
            }
        }
    }

    /// The latest state changes of a target, newest first.
    public func stateHistory(of target: String, limit: Int = 50) async throws -> [StateChange] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT target, at, summary FROM state_history WHERE target = ? ORDER BY id DESC LIMIT ?",
                arguments: [target, limit]
            ).map {
                StateChange(target: $0["target"], at: Date(timeIntervalSince1970: $0["at"]), summary: $0["summary"])
            }
        }
    }
}

import GRDB
import KeawatchModel
package import KeawatchRouting

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// One change of what a target reports (reachability, HA states), kept for `state_history`.
package struct StateChange: Sendable, Equatable {
    package var target: String
    package var at: Date
    /// A short JSON object: `{"reachable":…,"states":[…]}` or the failure kind.
    package var summary: String

    package init(target: String, at: Date, summary: String) {
        self.target = target
        self.at = at
        self.summary = summary
    }
}

extension SQLiteStore {
    /// How long state changes are kept.
    package static let stateHistoryRetention: Duration = .seconds(7 * 24 * 3600)

    /// Adds or replaces a silence.
    package func save(_ silence: Silence) async throws {
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
    package func expireSilence(_ id: String, at now: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?",
                arguments: [now.timeIntervalSince1970, id, now.timeIntervalSince1970]
            )
            return db.changesCount > 0
        }
    }

    /// Silences that have not ended, or ended less than a day before `now` (older ones are removed).
    /// A row that no longer decodes is reported and removed: dropping a matcher instead would widen
    /// the silence.
    package func silences(at now: Date) async throws -> [Silence] {
        try await database.write { db in
            try db.execute(
                sql: "DELETE FROM silences WHERE ends_at < ?",
                arguments: [now.timeIntervalSince1970 - 24 * 3600]
            )
            var silences: [Silence] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM silences ORDER BY starts_at, id") {
                guard let id: String = row["id"] else { continue }
                if let silence = Self.silence(row, id: id) {
                    silences.append(silence)
                } else {
                    try db.execute(sql: "DELETE FROM silences WHERE id = ?", arguments: [id])
                    reportDamage("silence \(id) no longer decodes and was removed")
                }
            }
            return silences
        }
    }

    private static func silence(_ row: Row, id: String) -> Silence? {
        guard let text: String = row["matchers"], let starts: Double = row["starts_at"],
            let ends: Double = row["ends_at"], starts.isFinite, ends.isFinite, starts <= ends,
            ends - starts <= Silence.maximumDuration.seconds,
            let values = (try? JSONValue.parse(Array(text.utf8)))?.arrayValue, !values.isEmpty
        else { return nil }
        var matchers: [LabelMatcher] = []
        for value in values {
            guard let name = value["name"]?.stringValue,
                let operation = value["op"]?.stringValue.flatMap(LabelMatcher.Operation.init(rawValue:)),
                let text = value["value"]?.stringValue,
                let matcher = LabelMatcher(name: name, operation: operation, value: text)
            else { return nil }
            matchers.append(matcher)
        }
        return Silence(
            id: id,
            matchers: matchers,
            comment: row["comment"] ?? "",
            createdBy: row["created_by"] ?? "",
            startsAt: Date(timeIntervalSince1970: starts),
            endsAt: Date(timeIntervalSince1970: ends)
        )
    }

    /// The latest state changes of a target, newest first.
    package func stateHistory(of target: String, limit: Int = 50) async throws -> [StateChange] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT target, at, summary FROM state_history WHERE target = ? ORDER BY id DESC LIMIT ?",
                arguments: [target, limit]
            ).compactMap { row in
                guard let target: String = row["target"], let at: Double = row["at"], at.isFinite,
                    let summary: String = row["summary"]
                else { return nil }
                return StateChange(target: target, at: Date(timeIntervalSince1970: at), summary: summary)
            }
        }
    }
}

import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteStore {
    /// The latest state changes of each of `targets`, newest first: one read for all of them (the
    /// status page of a thousand targets would otherwise wait for a thousand reads).
    package func stateHistories(of targets: [String], limit: Int = 50) async throws -> [String: [StateChange]] {
        try await database.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT target, at, summary FROM state_history WHERE target = ? ORDER BY id DESC LIMIT ?"
            )
            var histories: [String: [StateChange]] = [:]
            for target in targets {
                histories[target] = try Row.fetchAll(statement, arguments: [target, limit]).compactMap { row in
                    guard let target: String = row["target"], let at: Double = row["at"], at.isFinite,
                        let summary: String = row["summary"]
                    else { return nil }
                    return StateChange(target: target, at: Date(timeIntervalSince1970: at), summary: summary)
                }
            }
            return histories
        }
    }
}

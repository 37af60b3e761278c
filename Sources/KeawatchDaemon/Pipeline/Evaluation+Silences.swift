import KeawatchEngine
import KeawatchModel
import KeawatchNotify
import KeawatchPolling
import KeawatchReview
import KeawatchRouting
import KeawatchRules
import KeawatchStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Evaluation {
    /// Adds a silence, unless `Silence.maximumActive` have not ended yet.
    func addSilence(_ silence: Silence, at now: Date) async throws {
        try await inTurn {
            try SilencePolicy.checkRoom(for: silence, among: core.router.silences, at: now)
            try await store.save(silence)
            core.router.upsert(silence)
        }
    }

    func expireSilence(_ id: String, at now: Date) async throws -> Bool {
        try await inTurn {
            guard try await store.expireSilence(id, at: now) else { return false }
            core.router.expireSilence(id, at: now)
            return true
        }
    }

    func silences(at now: Date) -> [Silence] {
        SilencePolicy.listed(core.router.silences, at: now)
    }
}

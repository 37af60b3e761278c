import Foundation
import KeawatchModel
import KeawatchNotify
import KeawatchPolling
import KeawatchRouting
import KeawatchStore
import KeawatchTestSupport
import Synchronization
import Testing

@testable import KeawatchDaemon

/// A store whose writes wait at a gate while it is closed, and that counts checkpoints.
final class GatedStore: EvaluationStore {
    private struct State {
        var closed = false
        var held: [CheckedContinuation<Void, Never>] = []
        var arrivalWatcher: CheckedContinuation<Void, Never>?
        var checkpoints = 0
    }

    private let base: SQLiteStore
    private let state = Mutex(State())

    init() throws {
        base = try SQLiteStore(path: nil)
    }

    func close() { state.withLock { $0.closed = true } }

    func open() {
        let held = state.withLock { state in
            state.closed = false
            defer { state.held = [] }
            return state.held
        }
        for write in held { write.resume() }
    }

    /// Returns once a write waits at the gate.
    func waitUntilHeld() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let held = state.withLock { state in
                if state.held.isEmpty { state.arrivalWatcher = continuation }
                return !state.held.isEmpty
            }
            if held { continuation.resume() }
        }
    }

    var checkpoints: Int { state.withLock { $0.checkpoints } }

    func enqueue(
        _ notifications: [AlertNotification],
        at now: Date,
        checkpoint: [UInt8]?,
        stateChanges: [StateChange]
    ) async throws -> [Int64] {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (wait, watcher) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard state.closed else { return (false, nil) }
                state.held.append(continuation)
                defer { state.arrivalWatcher = nil }
                return (true, state.arrivalWatcher)
            }
            watcher?.resume()
            if !wait { continuation.resume() }
        }
        if checkpoint != nil { state.withLock { $0.checkpoints += 1 } }
        return try await base.enqueue(notifications, at: now, checkpoint: checkpoint, stateChanges: stateChanges)
    }

    func checkpoint() async throws -> [UInt8]? { try await base.checkpoint() }
    func silences(at now: Date) async throws -> [Silence] { try await base.silences(at: now) }
    func save(_ silence: Silence) async throws { try await base.save(silence) }
    func expireSilence(_ id: String, at now: Date) async throws -> Bool { try await base.expireSilence(id, at: now) }
    var reportDamage: @Sendable (String) -> Void { { _ in } }
}

/// Ticks, reloads and silence changes take turns in the evaluation: none lands inside another.
@Suite struct EvaluationTurnsTests {
    @Test func aReloadDuringAnEvaluationsWriteWaitsForItAndIsNotUndoneByIt() async throws {
        let store = try GatedStore()
        let config = try SimulatedAgent.config()
        let rules = try SimulatedAgent.unreachableRule(for: "1m")
        let clock = ManualClock()
        let t0 = clock.wallTime
        let evaluation = try await Evaluation(
            rules: rules,
            correlations: [],
            config: config,
            store: store,
            metrics: AgentMetrics(),
            clock: clock,
            now: t0
        )
        let unreachable = SimulatedAgent.unreachable(at: t0).observation
        // The first tick makes an alert pending: its checkpoint write waits at the gate.
        store.close()
        async let first = evaluation.tick(TickInput(observations: [unreachable], at: t0))
        await store.waitUntilHeld()
        async let reloaded: Void = evaluation.reload(
            config: config,
            rules: rules,
            correlations: [],
            at: t0.addingTimeInterval(1)
        )
        while await evaluation.waitingTurns == 0 { await Task.yield() }  // the reload waits its turn
        store.open()
        _ = try await first
        try await reloaded
        #expect(store.checkpoints == 1)
        // The engine changed under the checkpoint: the next tick writes one, although the alert's
        // phase is the same and the minute has not passed.
        var later = unreachable
        later.at = t0.addingTimeInterval(2)
        _ = try await evaluation.tick(TickInput(observations: [later], at: later.at))
        #expect(store.checkpoints == 2)
        // Without a reload the same tick writes none.
        later.at = t0.addingTimeInterval(3)
        _ = try await evaluation.tick(TickInput(observations: [later], at: later.at))
        #expect(store.checkpoints == 2)
    }
}

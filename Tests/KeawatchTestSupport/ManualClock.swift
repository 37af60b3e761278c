package import Foundation
import Synchronization

/// A clock that moves only when a test moves it, for running services in simulated time without
/// sleeping: tasks sleep on it; `advance` sets the time and wakes every task whose deadline has
/// come; `waitForSleeper`/`waitForSleepers` suspend the test until the services sleep again (their
/// next deadline is then known and can be checked). `wallTime` is the wall-clock time that goes
/// with it, from `epoch`.
package final class ManualClock: Clock, Sendable {
    package struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock's start.
        package var offset: Duration

        package init(offset: Duration) {
            self.offset = offset
        }

        package func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        package func duration(to other: Instant) -> Duration { other.offset - offset }
        package static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        package var description: String { "\(offset)" }
    }

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Watcher {
        var condition: @Sendable ([Instant]) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var watchers: [Watcher] = []
        var lastID: UInt64 = 0

        /// The watchers whose condition holds now, removed.
        mutating func satisfiedWatchers() -> [Watcher] {
            let deadlines = sleepers.map(\.deadline)
            let satisfied = watchers.filter { $0.condition(deadlines) }
            watchers.removeAll { $0.condition(deadlines) }
            return satisfied
        }
    }

    private let state = Mutex(State())
    /// The wall-clock time at the clock's start.
    package let epoch: Date

    package init(epoch: Date = Date(timeIntervalSince1970: 1_764_000_000)) {
        self.epoch = epoch
    }

    package var now: Instant { state.withLock { $0.now } }
    package var minimumResolution: Duration { .zero }

    /// The wall-clock time now.
    package var wallTime: Date { date(at: now) }

    /// The wall-clock time at `instant`.
    package func date(at instant: Instant) -> Date {
        let (seconds, attoseconds) = instant.offset.components
        return epoch.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// The instant `duration` after the clock's start.
    package func at(_ duration: Duration) -> Instant { Instant(offset: duration) }

    package func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            state.lastID += 1
            return state.lastID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Start {
                    case due, cancelled
                    case sleeping([Watcher])
                }
                let start = state.withLock { state -> Start in
                    if Task.isCancelled { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .sleeping(state.satisfiedWatchers())
                }
                switch start {
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .sleeping(let watchers): for watcher in watchers { watcher.continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the time forward by `duration`, waking every sleeper whose deadline it reaches.
    package func advance(by duration: Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// Moves the time to `instant` (never back), waking every sleeper whose deadline it reaches,
    /// earliest first. A woken task sees the new time: to see each deadline, advance to each.
    package func advance(to instant: Instant) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, instant)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// The deadlines tasks sleep until now, earliest first.
    package var sleepers: [Instant] {
        state.withLock { $0.sleepers.map(\.deadline).sorted() }
    }

    /// Returns once some task sleeps until `deadline`.
    package func waitForSleeper(until deadline: Instant) async {
        await waitUntil { $0.contains(deadline) }
    }

    /// Returns once at least `count` tasks sleep.
    package func waitForSleepers(_ count: Int) async {
        await waitUntil { $0.count >= count }
    }

    private func waitUntil(_ condition: @escaping @Sendable ([Instant]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let holds = state.withLock { state -> Bool in
                if condition(state.sleepers.map(\.deadline)) { return true }
                state.watchers.append(Watcher(condition: condition, continuation: continuation))
                return false
            }
            if holds { continuation.resume() }
        }
    }
}

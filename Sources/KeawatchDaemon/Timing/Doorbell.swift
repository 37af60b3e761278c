import Synchronization

/// Wakes one waiting task: `ring()` before `wait` is remembered (once). Lets a service sleep until
/// there is work or a deadline passes, whichever comes first. The deadline is a child task of the
/// wait (structured: cancelled and awaited before `wait` returns), never a task left running.
final class Doorbell: Sendable {
    private struct Waiter {
        var ticket: UInt64
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var rung = false
        var waiter: Waiter?
        var lastTicket: UInt64 = 0
        /// The wait whose deadline passed (or that was cancelled) before it began to wait.
        var expired: UInt64?
    }

    private let state = Mutex(State())

    init() {}

    func ring() {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume()
    }

    /// Returns when rung, after `timeout` on `clock`, or when the task is cancelled.
    func wait(upTo timeout: Duration, on clock: some Clock<Duration>) async {
        let ticket = state.withLock { state -> UInt64? in
            if state.rung {
                state.rung = false
                return nil
            }
            state.lastTicket += 1
            return state.lastTicket
        }
        guard let ticket else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                if (try? await clock.sleep(for: timeout)) != nil { self.expire(ticket) }
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { state -> Bool in
                        if state.rung || state.expired == ticket || Task.isCancelled {
                            state.rung = false
                            return true
                        }
                        state.waiter = Waiter(ticket: ticket, continuation: continuation)
                        return false
                    }
                    if now { continuation.resume() }
                }
            } onCancel: {
                self.expire(ticket)
            }
            group.cancelAll()
        }
    }

    /// Ends the wait `ticket` (its deadline passed or its task was cancelled), if it still waits.
    private func expire(_ ticket: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter, waiter.ticket == ticket else {
                state.expired = ticket
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume()
    }
}

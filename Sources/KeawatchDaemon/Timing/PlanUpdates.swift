import Synchronization

/// The newest plan a service follows (what to poll, how often: replaced at a configuration
/// reload). `follow` carries out one plan at a time as a child task, cancels it (and waits for it
/// to end) when a newer plan arrives, and returns once `finish()` was called. Plans given while
/// one starts are not queued: only the newest counts.
final class PlanUpdates<Plan: Sendable>: Sendable {
    private struct State {
        var pending: Plan?
        var finished = false
        var waiter: CheckedContinuation<Plan?, Never>?
    }

    private enum Step: Sendable {
        case ranOut
        case replaced(Plan)
        case finished
    }

    private let state: Mutex<State>

    init(_ first: Plan) {
        state = Mutex(State(pending: first))
    }

    func update(_ plan: Plan) {
        let waiter = state.withLock { state -> CheckedContinuation<Plan?, Never>? in
            guard !state.finished else { return nil }
            guard let waiter = state.waiter else {
                state.pending = plan
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: plan)
    }

    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Plan?, Never>? in
            state.finished = true
            state.pending = nil
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Runs `body` with each plan in turn until `finish()`. A plan whose `body` returns by itself
    /// (nothing to do) waits for the next plan.
    func follow(_ body: @escaping @Sendable (Plan) async -> Void) async {
        var plan = await next()
        while let current = plan {
            plan = await withTaskGroup(of: Step.self) { group -> Plan? in
                group.addTask {
                    await body(current)
                    return .ranOut
                }
                group.addTask { await self.next().map(Step.replaced) ?? .finished }
                while let step = await group.next() {
                    switch step {
                    case .ranOut:
                        continue
                    case .replaced(let plan):
                        group.cancelAll()
                        return plan
                    case .finished:
                        group.cancelAll()
                        return nil
                    }
                }
                return nil
            }
        }
    }

    /// The next plan; nil once finished or when the task is cancelled.
    private func next() async -> Plan? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Plan?, Never>) in
                let ready = state.withLock { state -> Plan?? in
                    if let plan = state.pending {
                        state.pending = nil
                        return .some(plan)
                    }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Plan?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}

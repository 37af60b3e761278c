/// Wakes one waiting task: `ring()` before `wait` is remembered (once). Lets a service sleep
/// until there is work or a deadline passes, whichever comes first.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns when rung, after `timeout`, or when the task is cancelled.
    func wait(upTo timeout: Duration) async {
        if rung {
            rung = false
            return
        }
        let timer = Task { [weak self] in
            if (try? await Task.sleep(for: timeout)) != nil { await self?.ring() }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if rung || Task.isCancelled {
                    rung = false
                    continuation.resume()
                } else {
                    waiter = continuation
                }
            }
        } onCancel: {
            Task { await self.ring() }
        }
        timer.cancel()
        rung = false
    }
}

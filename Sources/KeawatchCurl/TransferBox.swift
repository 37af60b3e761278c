import Synchronization

/// Hands a transfer from the submitting task to its cancellation handler, which may run first.
final class TransferBox: Sendable {
    private let state = Mutex<(transfer: CurlTransfer?, cancelled: Bool)>((nil, false))

    /// Records the transfer; false when the task was cancelled before it could be submitted.
    func set(_ transfer: CurlTransfer) -> Bool {
        state.withLock { state in
            state.transfer = transfer
            return !state.cancelled
        }
    }

    func take() -> CurlTransfer? {
        state.withLock { state in
            state.cancelled = true
            return state.transfer
        }
    }
}

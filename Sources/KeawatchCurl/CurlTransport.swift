import Synchronization

/// The real `Transport`: requests run on libcurl multi handles, each driven by its own thread, at
/// most `maxConcurrentTransfers` at a time in all; the rest wait their turn in order.
package final class CurlTransport: Transport {
    private let loops: [CurlMultiLoop]
    private let next = Atomic<Int>(0)

    /// - Parameter threads: multi handles (and threads) to spread transfers over; connection setup
    ///   costs CPU, so a large fleet polls faster with one per core.
    package init(maxConcurrentTransfers: Int = 100, threads: Int = 1) {
        let threads = max(1, threads)
        loops = (0..<threads).map { index in
            CurlMultiLoop(
                maxConcurrentTransfers: max(
                    1,
                    maxConcurrentTransfers / threads + (index < maxConcurrentTransfers % threads ? 1 : 0)
                )
            )
        }
    }

    deinit {
        for loop in loops { loop.stop() }
    }

    package func perform(_ request: CurlRequest) async throws(CurlError) -> CurlResponse {
        let loop = loops[next.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
        let box = TransferBox()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let transfer = CurlTransfer(request: request, continuation: continuation)
                    if box.set(transfer) {
                        loop.submit(transfer)
                    } else {
                        transfer.finish(.failure(.cancelled))
                    }
                }
            } onCancel: {
                if let transfer = box.take() { loop.cancel(transfer) }
            }
        } catch let error as CurlError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// The libcurl version and TLS backend in use.
    package static var libraryVersion: String { CurlGlobal.version }
}

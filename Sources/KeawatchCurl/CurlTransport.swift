/// The real `Transport`: every request runs on one libcurl multi handle driven by its own thread,
/// at most `maxConcurrentTransfers` at a time; the rest wait their turn in order.
public final class CurlTransport: Transport {
    private let loop: CurlMultiLoop

    public init(maxConcurrentTransfers: Int = 100) {
        loop = CurlMultiLoop(maxConcurrentTransfers: maxConcurrentTransfers)
    }

    deinit {
        loop.stop()
    }

    public func perform(_ request: CurlRequest) async throws(CurlError) -> CurlResponse {
        let loop = self.loop
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
    public static var libraryVersion: String { CurlGlobal.version }
}

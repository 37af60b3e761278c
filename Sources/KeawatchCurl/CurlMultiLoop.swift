internal import CCurl
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One dedicated thread driving one curl multi handle. Transfers queue in Swift and are handed to
/// libcurl only when a slot is free, so a transfer's timeout never counts time spent waiting here.
final class CurlMultiLoop: Sendable {
    private enum Event {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private struct Inbox {
        var events: [Event] = []
        var stopping = false
    }

    private let inbox = Mutex(Inbox())
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let maxConcurrentTransfers: Int

    init(maxConcurrentTransfers: Int) {
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        self.maxConcurrentTransfers = max(1, maxConcurrentTransfers)
        DedicatedThread.start(name: "keawatch-curl") { [self] in run() }
    }

    func submit(_ transfer: CurlTransfer) {
        post(.add(transfer))
    }

    func cancel(_ transfer: CurlTransfer) {
        post(.cancel(transfer))
    }

    /// Queues an event; only the first event of a batch wakes the loop, which drains them all.
    private func post(_ event: Event) {
        let wasEmpty = inbox.withLock { box in
            box.events.append(event)
            return box.events.count == 1
        }
        if wasEmpty { curl_multi_wakeup(multi) }
    }

    /// Ends the thread once every transfer submitted so far has finished.
    func stop() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    // MARK: - The loop thread

    private func run() {
        var waiting: [CurlTransfer] = []
        var waitingHead = 0
        var active: [ObjectIdentifier: CurlTransfer] = [:]
        var idleHandles: [UnsafeMutableRawPointer] = []

        func finish(_ transfer: CurlTransfer, _ result: Result<CurlResponse, CurlError>) {
            if let easy = transfer.easy {
                curl_multi_remove_handle(multi, easy)
                curl_easy_reset(easy)
                idleHandles.append(easy)
                transfer.easy = nil
            }
            active[ObjectIdentifier(transfer)] = nil
            transfer.finish(result)
        }

        while true {
            let (events, stopping) = inbox.withLock { box in
                defer { box.events.removeAll(keepingCapacity: true) }
                return (box.events, box.stopping)
            }
            for event in events {
                switch event {
                case .add(let transfer):
                    waiting.append(transfer)
                case .cancel(let transfer):
                    if active[ObjectIdentifier(transfer)] != nil {
                        finish(transfer, .failure(.cancelled))
                    } else if let index = waiting[waitingHead...].firstIndex(where: { $0 === transfer }) {
                        waiting.remove(at: index)
                        transfer.finish(.failure(.cancelled))
                    }
                }
            }
            while active.count < maxConcurrentTransfers && waitingHead < waiting.count {
                let transfer = waiting[waitingHead]
                waitingHead += 1
                guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
                    transfer.finish(.failure(.other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "out of memory")))
                    continue
                }
                let code = transfer.configure(easy)
                if code != CURLE_OK {
                    transfer.easy = nil
                    curl_easy_reset(easy)
                    idleHandles.append(easy)
                    transfer.finish(transfer.complete(with: code))
                    continue
                }
                active[ObjectIdentifier(transfer)] = transfer
                curl_multi_add_handle(multi, easy)
            }
            if waitingHead > 1024 && waitingHead * 2 > waiting.count {
                waiting.removeFirst(waitingHead)
                waitingHead = 0
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                var context: UnsafeMutableRawPointer?
                _ = keawatch_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &context)
                guard let context else { continue }
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                finish(transfer, transfer.complete(with: message.pointee.data.result))
            }

            if stopping && active.isEmpty && waitingHead >= waiting.count {
                break
            }
            // Transfers that finished just now freed slots: fill them before waiting for sockets.
            if active.count < maxConcurrentTransfers && waitingHead < waiting.count {
                continue
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for easy in idleHandles { curl_easy_cleanup(easy) }
        curl_multi_cleanup(multi)
    }
}

/// `curl_global_init` is not thread-safe; it runs exactly once, before the first multi handle.
enum CurlGlobal {
    private static let initialized: Bool = {
        keawatch_ignore_sigpipe()
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func initialize() {
        precondition(initialized, "curl_global_init failed")
    }

    /// The libcurl version string, e.g. "libcurl/7.88.1 OpenSSL/3.0.17 …".
    static var version: String { String(cString: curl_version()) }
}

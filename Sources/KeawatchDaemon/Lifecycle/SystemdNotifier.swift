#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// systemd's notify protocol (`Type=notify`) without libsystemd: datagrams to `$NOTIFY_SOCKET`.
/// Without that variable (not under systemd) every call does nothing.
package struct SystemdNotifier: Sendable {
    let socketPath: String?
    /// Half of `$WATCHDOG_USEC`, when systemd wants watchdog pings.
    package let watchdogInterval: Duration?

    package init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"]
        socketPath = (path?.isEmpty ?? true) ? nil : path
        if let text = environment["WATCHDOG_USEC"], let micros = Int64(text), micros > 0 {
            watchdogInterval = .microseconds(micros / 2)
        } else {
            watchdogInterval = nil
        }
    }

    package var isActive: Bool { socketPath != nil }

    @discardableResult
    package func notify(_ state: String) -> Bool {
        guard var path = socketPath else { return false }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let abstract = path.hasPrefix("@")
        if abstract { path.removeFirst() }
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count + (abstract ? 1 : 0) < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            let offset = abstract ? 1 : 0  // abstract namespace: a leading NUL
            for (index, byte) in bytes.enumerated() { buffer[offset + index] = byte }
        }
        let length = MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 1 : 0)
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes { body in
                    sendto(
                        descriptor,
                        body.baseAddress,
                        body.count,
                        Int32(MSG_NOSIGNAL),
                        socketAddress,
                        socklen_t(length)
                    )
                }
            }
        }
        return sent == message.count
    }
}

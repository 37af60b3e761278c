#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file a person named (a config, a rule file, a secret): only a regular file, only up to a
/// size, never blocking (a FIFO named by mistake must not hang `check` or a reload), and every
/// refusal said in plain words.
enum RegularFile {
    /// Config and rule files, and secrets, are small; anything larger is a mistake.
    static let maximumBytes = 16 << 20

    struct ReadError: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    static func read(_ path: String, limit: Int = maximumBytes) throws(ReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(reason: reason(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ReadError(reason: reason(errno)) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ReadError(reason: "is a directory")
        default: throw ReadError(reason: "is not a regular file")
        }
        guard status.st_size <= limit else {
            throw ReadError(reason: "is larger than \(limit >> 20) MiB")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(reason: reason(errno))
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= limit else { throw ReadError(reason: "is larger than \(limit >> 20) MiB") }
        }
        return bytes
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case ELOOP: "too many levels of symbolic links"
        case ENOTDIR: "a part of the path is not a directory"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}

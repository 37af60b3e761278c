#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only output (standard output/error or a file), written with plain `write(2)`.
final class FileOutput: Sendable {
    let descriptor: Int32
    private let ownsDescriptor: Bool

    static let standardOutput = FileOutput(descriptor: 1, ownsDescriptor: false)
    static let standardError = FileOutput(descriptor: 2, ownsDescriptor: false)

    private init(descriptor: Int32, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    /// Opens `path` for appending, creating it (mode 0640) when missing.
    init(appendingTo path: String) throws(FileOutputError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw FileOutputError(path: path, reason: String(cString: strerror(errno)))
        }
        self.descriptor = descriptor
        self.ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// `write(2)`, under a name that does not clash with `FileOutput.write`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

struct FileOutputError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot open \(path) for appending: \(reason)" }
}

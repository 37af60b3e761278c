public import Foundation

/// A real program started by a test (an HTTP receiver, an SMTP server, the keawatch binary). Its
/// output goes to files in a private directory; it is killed with SIGKILL when stopped, because
/// children of Swift concurrency threads inherit a blocked SIGTERM.
public final class ExternalProcess: @unchecked Sendable {
    public let process: Process
    public let directory: URL
    public let stdoutFile: URL
    public let stderrFile: URL

    public init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: URL? = nil
    ) throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("keawatch-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        stdoutFile = self.directory.appendingPathComponent("stdout")
        stderrFile = self.directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        stop()
    }

    public var output: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    public var errorOutput: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Waits until standard output has a line starting with `prefix`; returns the rest of that line.
    public func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(15)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            }
            if !process.isRunning {
                throw TestSupportError("\(process.executableURL?.path ?? "?") exited: \(errorOutput)")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TestSupportError("no line starting with '\(prefix)' within \(timeout): \(errorOutput)")
    }

    /// Waits for the process to exit by itself; returns its status.
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw TestSupportError("still running after \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    public func signal(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

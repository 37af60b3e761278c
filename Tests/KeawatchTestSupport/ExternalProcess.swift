package import Foundation
import Synchronization

/// A real program started by a test (an HTTP receiver, an SMTP server, the lab script, the keawatch
/// binary). Spawned with `posix_spawn` and reaped with `waitpid` directly: Foundation's `Process`
/// misses some exits on Linux and then waits forever. The child starts with signals unblocked (Swift
/// concurrency threads block SIGTERM, and children inherit the mask); output goes to files.
package final class ExternalProcess: Sendable {
    package let pid: pid_t
    package let directory: URL
    package let stdoutFile: URL
    package let stderrFile: URL
    private let exitStatus = Mutex<Int32?>(nil)

    package init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: URL? = nil
    ) throws {
        let directory =
            directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("keawatch-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        stdoutFile = directory.appendingPathComponent("stdout")
        stderrFile = directory.appendingPathComponent("stderr")

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of the test process: a socket a child inherited (a test's listening
        // endpoint, an accepted connection) would outlive the test that opened it.
        _ = spawnCloseFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw TestSupportError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    deinit {
        stop()
    }

    package var output: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    package var errorOutput: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Whether the child still runs; reaps it (without blocking) once it has exited.
    package var isRunning: Bool {
        exitStatus.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                status = Self.decode(raw)
                return false
            }
            return result == 0
        }
    }

    /// The exit status (128 + signal for a signal), once it has exited.
    package var terminationStatus: Int32? {
        _ = isRunning
        return exitStatus.withLock { $0 }
    }

    /// Waits until standard output has a line starting with `prefix`; returns the rest of that line.
    package func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            }
            if !isRunning {
                throw TestSupportError("process \(pid) exited: \(errorOutput)")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TestSupportError("no line starting with '\(prefix)' within \(timeout): \(errorOutput)")
    }

    /// Waits for the process to exit by itself; returns its status.
    package func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            guard ContinuousClock.now < deadline else {
                stop()
                throw TestSupportError("process \(pid) still running after \(timeout); killed")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return terminationStatus ?? -1
    }

    package func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Kills the process (SIGKILL) and reaps it.
    package func stop() {
        exitStatus.withLock { status in
            guard status == nil else { return }
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            status = Self.decode(raw)
        }
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

package struct TestSupportError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module
/// does not export.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

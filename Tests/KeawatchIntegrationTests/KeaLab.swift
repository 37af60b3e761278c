import Foundation
import KeawatchCurl
import KeawatchModel
import KeawatchPolling
import KeawatchTestSupport

/// The real Kea HA pair of `scripts/kea-lab`, under its own names and addresses so that it never
/// collides with a demo lab on the same machine. `KW_TEST_LAB` and `KW_TEST_LAB_AGENT_A`/`_B` move it
/// (two checkouts testing at once on one machine).
final class KeaLab: Sendable {
    static let environment = ProcessInfo.processInfo.environment
    static let name = environment["KW_TEST_LAB"] ?? "kwtest"
    static let agentA = environment["KW_TEST_LAB_AGENT_A"] ?? "127.0.0.21:8000"
    static let agentB = environment["KW_TEST_LAB_AGENT_B"] ?? "127.0.0.22:8000"

    let client = KeaClient(transport: CurlTransport())
    let targets = [
        KeaTarget(name: "server1", url: "http://\(KeaLab.agentA)/", timeout: .seconds(2)),
        KeaTarget(name: "server2", url: "http://\(KeaLab.agentB)/", timeout: .seconds(2)),
    ]

    /// Runs one `kea-lab` verb and waits for it.
    @discardableResult
    static func run(_ arguments: String...) async throws -> String {
        let process = try ExternalProcess(
            Paths.script("scripts/kea-lab"),
            arguments,
            environment: [
                "KEA_LAB_NAME": name, "KEA_LAB_DIR": "/tmp/\(name)", "KEA_LAB_CA_A": agentA, "KEA_LAB_CA_B": agentB,
            ]
        )
        let status = try await process.waitForExit(timeout: .seconds(120))
        guard status == 0 else {
            throw TestSupportError(
                "kea-lab \(arguments.joined(separator: " ")) failed (\(status)): \(process.errorOutput)"
            )
        }
        return process.output
    }

    /// Brings a pair up, runs `body`, and always takes the pair down again. There is one lab per
    /// machine: suites that use it take turns (Swift Testing runs suites in parallel).
    static func with(_ options: String..., body: (KeaLab) async throws -> Void) async throws {
        await LabLock.shared.acquire()
        let outcome: Result<Void, any Error>
        do {
            let lab = try await up(options)
            do {
                try await body(lab)
                await lab.down()
                outcome = .success(())
            } catch {
                await lab.down()
                outcome = .failure(error)
            }
        } catch {
            outcome = .failure(error)
        }
        await LabLock.shared.release()
        try outcome.get()
    }

    static func up(_ options: [String]) async throws -> KeaLab {
        let process = try ExternalProcess(
            Paths.script("scripts/kea-lab"),
            ["up"] + options,
            environment: [
                "KEA_LAB_NAME": name, "KEA_LAB_DIR": "/tmp/\(name)", "KEA_LAB_CA_A": agentA, "KEA_LAB_CA_B": agentB,
            ]
        )
        guard try await process.waitForExit(timeout: .seconds(120)) == 0 else {
            throw TestSupportError("kea-lab up failed: \(process.errorOutput)")
        }
        return KeaLab()
    }

    func down() async {
        _ = try? await KeaLab.run("down")
    }

    func poll(_ server: Int) async -> Observation {
        await client.poll(targets[server]).observation
    }

    /// Polls one server every 100 ms until `condition` holds; returns every observation seen.
    func pollUntil(
        _ server: Int,
        timeout: Duration = .seconds(60),
        _ condition: (Observation) -> Bool
    ) async throws -> [Observation] {
        let deadline = ContinuousClock.now + timeout
        var seen: [Observation] = []
        while ContinuousClock.now < deadline {
            let observation = await poll(server)
            seen.append(observation)
            if condition(observation) { return seen }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError(
            "\(targets[server].name): condition not met within \(timeout); last: \(String(describing: seen.last))"
        )
    }
}

extension Observation {
    var localState: HAState? { status?.relationships.first?.local.state }
    var remote: RemoteServerStatus? { status?.relationships.first?.remote }
}

/// A first-come, first-served async lock around the one lab.
actor LabLock {
    static let shared = LabLock()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

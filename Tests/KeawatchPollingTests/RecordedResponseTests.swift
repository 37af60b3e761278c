import Foundation
import KeawatchModel
import Testing

/// Every response recorded from real Kea 2.2 servers decodes to what its file name says it holds:
/// `MODE__ROLE__LOCAL-STATE__partner-REMOTE-STATE__CONTACT[__unacked].json`.
@Suite struct RecordedResponseTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    /// The `status-get` recordings (the other fixtures are failures, statistics, leases, and the
    /// Kea 3 responses built from Kea's sources in `kea3__*`).
    static let statusFixtures = fixtureNames.filter { $0.hasPrefix("load-balancing") || $0.hasPrefix("hot-standby") }
    static let fixtureNames: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()

    static func body(_ name: String) throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: directory.appendingPathComponent(name))))
    }

    @Test func allRecordedFixturesArePresent() {
        #expect(Self.fixtureNames.count >= 90)
    }

    @Test(arguments: statusFixtures)
    func statusFixtureDecodesToTheStatesInItsName(name: String) throws {
        let parts = name.dropLast(".json".count).components(separatedBy: "__")
        let (mode, role, localState) = (parts[0], parts[1], parts[2])
        let remoteState = String(parts[3].dropFirst("partner-".count))
        let interrupted = parts[4] == "comm-interrupted"
        let status = try KeaStatus.decode(response: try Self.body(name)).get()
        let relationship = try #require(status.relationships.first)
        #expect(status.relationships.count == 1)
        #expect(relationship.mode == mode.replacingOccurrences(of: "-max-unacked-0", with: ""))
        #expect(relationship.local.role == role)
        #expect(relationship.local.state.rawValue == localState)
        let remote = try #require(relationship.remote)
        #expect((remote.lastState == .unknown ? "unknown" : remote.lastState.rawValue) == remoteState)
        #expect(remote.communicationInterrupted == interrupted)
        // `in-touch` turns true at first contact and stays true.
        #expect(remote.inTouch == (remoteState != "unknown"))
        if parts.count > 5 && parts[5] == "unacked" {
            #expect(remote.unackedClients > 0)
        }
        #expect(status.pid != nil && status.uptime != nil)
        #expect(remote.age != nil)
        #expect(remote.otherFields.isEmpty && relationship.local.otherFields.isEmpty)
    }

    @Test(arguments: [
        (
            "error__ca-up-dhcp4-killed__result-1-connection-refused.json", PollFailure.Kind.keaError,
            "Connection refused"
        ),
        ("error__ca-up-dhcp4-stopped__result-1-no-such-file.json", .keaError, "No such file or directory"),
        ("error__service-not-configured__result-1.json", .keaError, "forwarding socket is not configured"),
        ("error__unknown-command__result-2.json", .keaError, "result 2"),
        ("error__http-400-bad-request__object-not-array.json", .keaError, "result 400: Bad Request"),
    ])
    func failureFixturesBecomeFailuresWithTheirReason(name: String, kind: PollFailure.Kind, fragment: String) throws {
        guard case .failure(let failure) = KeaStatus.decode(response: try Self.body(name)) else {
            Issue.record("\(name) decoded as a status")
            return
        }
        #expect(failure.kind == kind)
        #expect(failure.message.contains(fragment))
    }

    @Test func controlAgentAnsweringItselfHasNoHA() throws {
        let status = try KeaStatus.decode(
            response: try Self.body("error__status-get-without-service__answered-by-control-agent.json")
        ).get()
        #expect(status.relationships.isEmpty)
        #expect(status.pid == 4839)
    }

    @Test func kea3BareObjectWithHubAndSpokeAndNewFieldsDecodes() throws {
        let body = try JSONValue.parse(
            """
            {"result": 0, "arguments": {"pid": 7, "uptime": 60, "reload": 60, "high-availability": [
              {"ha-mode": "hot-standby", "ha-servers": {
                "local": {"role": "primary", "scopes": ["hub"], "state": "hot-standby", "server-name": "hub",
                          "system-time": "2025-11-12 19:17:55"},
                "remote": {"age": 1, "in-touch": true, "role": "standby", "last-scopes": [], "last-state": "hot-standby",
                           "communication-interrupted": false, "connecting-clients": 0, "unacked-clients": 0,
                           "unacked-clients-left": 0, "analyzed-packets": 0, "server-name": "spoke-1", "clock-skew": 0}}},
              {"ha-mode": "hot-standby", "ha-servers": {
                "local": {"role": "primary", "scopes": [], "state": "partner-down", "server-name": "hub"},
                "remote": {"age": 70, "in-touch": true, "role": "standby", "last-scopes": [], "last-state": "unavailable",
                           "communication-interrupted": true, "connecting-clients": 3, "unacked-clients": 6,
                           "unacked-clients-left": 0, "analyzed-packets": 12, "server-name": "spoke-2"}}}]}}
            """
        )
        let status = try KeaStatus.decode(response: body).get()
        #expect(status.relationships.map(\.remote?.serverName) == ["spoke-1", "spoke-2"])
        #expect(status.relationships[0].local.systemTime == "2025-11-12 19:17:55")
        #expect(status.relationships[0].remote?.clockSkew == .seconds(0))
        #expect(status.relationships[1].remote?.clockSkew == .notReported)
        #expect(status.relationships[1].local.state == .partnerDown)
        #expect(status.relationships[1].remote?.unackedClients == 6)
    }

    @Test func unknownStatesAreKeptByName() throws {
        let body = try JSONValue.parse(
            """
            [{"result": 0, "arguments": {"high-availability": [{"ha-mode": "quantum", "ha-servers":
              {"local": {"role": "primary", "scopes": [], "state": "levitating"}}}]}}]
            """
        )
        let relationship = try #require(try KeaStatus.decode(response: body).get().relationships.first)
        #expect(relationship.local.state.rawValue == "levitating")
        #expect(relationship.mode == "quantum")
        #expect(relationship.remote == nil)
    }

    @Test(arguments: [
        ("[]", "$: expected one answer, found an empty array"),
        ("42", "$: expected an array or an object, found a number"),
        ("[{\"arguments\": {}}]", "$[0].result: expected an integer result code"),
        ("[{\"result\": 0}]", "$[0].arguments: expected an object, found nothing"),
        (
            "[{\"result\": 0, \"arguments\": {\"high-availability\": [{\"ha-mode\": \"load-balancing\", \"ha-servers\": {\"local\": {\"state\": 42}}}]}}]",
            "$[0].arguments.high-availability[0].ha-servers.local.state: expected a string, found a number"
        ),
        (
            "[{\"result\": 0, \"arguments\": {\"high-availability\": {}}}]",
            "$[0].arguments.high-availability: expected an array, found an object"
        ),
    ])
    func wrongShapesNameTheJSONPath(text: String, message: String) throws {
        let result = KeaStatus.decode(response: try JSONValue.parse(text))
        #expect(result == .failure(PollFailure(kind: .invalidResponse, message: message)))
    }
}

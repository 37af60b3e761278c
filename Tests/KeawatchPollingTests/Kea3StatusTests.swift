import Foundation
import KeawatchModel
import Testing

/// Kea ≥ 3.0's additions to `status-get`, from fixtures built after Kea's own sources and unit
/// tests (`ha_service.cc`, `communication_state.cc`, `ctrl_dhcp4_srv.cc`, `network_state.cc`; the
/// shapes of `ha_impl_unittest.cc` and `ha_service_unittest.cc`), not recorded: no Kea 3 here.
@Suite struct Kea3StatusTests {
    static func status(_ name: String) throws -> KeaStatus {
        try KeaStatus.decode(response: try RecordedResponseTests.body(name)).get()
    }

    @Test func clockSkewSystemTimeDHCPStateAndSocketsAreDecoded() throws {
        let status = try Self.status("kea3__load-balancing__primary__load-balancing__clock-skew-42.json")
        let relationship = try #require(status.relationships.first)
        #expect(relationship.remote?.clockSkew == .seconds(42))
        #expect(relationship.remote?.systemTime == "2025-11-12 19:18:37")
        #expect(relationship.local.systemTime == "2025-11-12 19:17:55")
        #expect(status.dhcpState?.summary == .enabled)
        #expect(status.socketsStatus == "ready" && status.socketErrors.isEmpty)
        #expect(relationship.remote?.otherFields.isEmpty == true && relationship.local.otherFields.isEmpty)
    }

    @Test func terminatedWithSkewDisabledServiceAndRetryingSockets() throws {
        let status = try Self.status(
            "kea3__hot-standby__standby__terminated__clock-skew-minus-75__disabled-by-user__sockets-retrying.json"
        )
        #expect(status.relationships.first?.local.state == .terminated)
        #expect(status.relationships.first?.remote?.clockSkew == .seconds(-75))
        #expect(status.dhcpState?.summary == .disabledByUser)
        #expect(status.socketsStatus == "retrying")
        #expect(status.socketErrors == ["the interface eth1 has no usable IPv4 addresses configured"])
    }

    @Test func beforeTheFirstHeartbeatNothingIsMeasuredAndHADisablesService() throws {
        let status = try Self.status("kea3__load-balancing__primary__waiting__before-first-heartbeat.json")
        #expect(status.relationships.first?.remote?.clockSkew == .notMeasuredYet)
        #expect(status.relationships.first?.local.systemTime == nil)
        #expect(status.dhcpState?.summary == .disabledByHA)
        #expect(status.dhcpState?.disabledByLocalCommand == [1000])
    }

    @Test func kea22ReportsNoClockSkewNorDHCPStateButSockets() throws {
        let status = try Self.status("load-balancing__primary__load-balancing__partner-load-balancing__in-contact.json")
        #expect(status.relationships.first?.remote?.clockSkew == .notReported)
        #expect(status.dhcpState == nil)
        #expect(status.socketsStatus == "ready")  // recorded from Kea 2.2: it has sockets already
    }

    @Test func recordedDHCPv6ServerWhoseSocketsFailedSaysWhy() throws {
        let status = try Self.status("dhcp6__load-balancing__primary__load-balancing__sockets-failed.json")
        #expect(status.socketsStatus == "failed")
        #expect(status.socketErrors.first?.contains("Failed to open link-local socket on interface eth0") == true)
        #expect(status.relationships.first?.local.scopes == ["v6-server1"])
    }

    @Test(arguments: [
        (
            #"{"clock-skew": "5"}"#,
            "$[0].arguments.high-availability[0].ha-servers.remote.clock-skew: expected whole seconds or null, found a string"
        ),
        (
            #"{"clock-skew": 1.5}"#,
            "$[0].arguments.high-availability[0].ha-servers.remote.clock-skew: expected whole seconds or null, found a number"
        ),
        (
            #"{"system-time": 7}"#,
            "$[0].arguments.high-availability[0].ha-servers.remote.system-time: expected a string or null, found a number"
        ),
    ])
    func malformedKea3FieldsNameTheirPath(remote: String, message: String) throws {
        let body = """
            [{"result": 0, "arguments": {"high-availability": [{"ha-mode": "load-balancing", "ha-servers": {
              "local": {"role": "primary", "state": "load-balancing"}, "remote": \(remote)}}]}}]
            """
        #expect(throws: PollFailure(kind: .invalidResponse, message: message)) {
            try KeaStatus.decode(response: try JSONValue.parse(Array(body.utf8))).get()
        }
    }
}

import Foundation
import KeawatchModel
import KeawatchReview
import Testing

/// The pure half of `review`: redaction, normalization and comparison of two partners'
/// configurations, reservation conflicts and HA timer advice, on small hand-written configs.
@Suite struct ConfigReviewTests {
    static func document(_ dhcp4: String) throws -> KeaConfigDocument {
        let response = try JSONValue.parse(
            Array(#"[{"result": 0, "arguments": {"Dhcp4": \#(dhcp4), "hash": "X"}}]"#.utf8)
        )
        return try KeaConfigDocument.decode(response: response).get()
    }

    @Test(arguments: [
        #"{"lease-database": {"type": "mysql", "user": "kea", "password": "S3CRET"}}"#,
        #"{"hooks-libraries": [{"library": "ha.so", "parameters": {"high-availability": [{"peers": [{"name": "s1", "basic-auth-user": "ha", "basic-auth-password": "S3CRET"}]}]}}]}"#,
        #"{"hooks-libraries": [{"library": "ha.so", "parameters": {"high-availability": [{"peers": [{"name": "s1", "url": "http://ha:S3CRET@10.0.0.1:8000/"}]}]}}]}"#,
        #"{"user-context": {"snmp-community-token": "S3CRET", "nested": [{"Api-Key": "S3CRET"}]}}"#,
        #"{"dhcp-ddns": {"tsig-keys": [{"name": "k", "algorithm": "HMAC-SHA256", "secret": "S3CRET"}]}}"#,
    ])
    func secretsNeverSurviveDecoding(dhcp4: String) throws {
        let document = try Self.document(dhcp4)
        #expect(!document.root.serialized.contains("S3CRET"), "\(document.root.serialized)")
        #expect(document.root.serialized.contains("<redacted>"))
    }

    @Test func aRecordedConfigGetLosesItsSecret() throws {
        // Recorded from the lab's server2 (`kea-lab up --drift`): Kea 2.2 returns the password in clear.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("KeawatchPollingTests/Fixtures/config-get__load-balancing__server2__drift.json")
        let raw = try Data(contentsOf: url)
        #expect(String(decoding: raw, as: UTF8.self).contains("kea-lab-secret-do-not-show"))
        let document = try KeaConfigDocument.decode(response: try JSONValue.parse(Array(raw))).get()
        #expect(document.section == "Dhcp4")
        #expect(!document.root.serialized.contains("kea-lab-secret"))
        #expect(document.root["user-context"]?["monitoring-password"] == .string("<redacted>"))
    }

    @Test func pathsToFilesStayAndOnlyTheSecretGoes() throws {
        let document = try Self.document(
            #"{"lease-database": {"password-file": "/etc/kea/db.pass", "password": "S3CRET"}}"#
        )
        #expect(
            document.root.serialized
                == #"{"lease-database":{"password-file":"/etc/kea/db.pass","password":"<redacted>"}}"#
        )
    }

    static let server1 = """
        {"interfaces-config": {"interfaces": ["eth0"]}, "control-socket": {"socket-name": "/run/a.sock"},
         "lease-database": {"type": "memfile", "name": "/var/lib/kea/a.csv"}, "loggers": [{"name": "kea-dhcp4"}],
         "hooks-libraries": [{"library": "ha.so", "parameters": {"high-availability": [{"this-server-name": "server1",
           "mode": "load-balancing", "heartbeat-delay": 10000, "max-response-delay": 60000, "max-unacked-clients": 10,
           "peers": [{"name": "server1", "url": "http://10.0.0.1:8000/", "role": "primary"},
                     {"name": "server2", "url": "http://10.0.0.2:8000/", "role": "secondary"}]}]}}],
         "subnet4": [{"id": 1, "subnet": "192.168.1.0/24", "pools": [{"pool": "192.168.1.100 - 192.168.1.200"}],
                      "reservations": [{"hw-address": "aa:aa:aa:aa:aa:aa", "ip-address": "192.168.1.74"},
                                       {"hw-address": "cc:cc:cc:cc:cc:cc", "ip-address": "192.168.1.20"}]},
                     {"id": 2, "subnet": "10.0.0.0/8", "pools": [{"pool": "10.0.0.10 - 10.0.0.20"}]}]}
        """

    @Test func perServerPartsAndOrderAreNoDrift() throws {
        // The partner as an operator writes it: its own name, sockets, files; subnets and
        // reservations in another order.
        let server2 = """
            {"interfaces-config": {"interfaces": ["ens3"]}, "control-socket": {"socket-name": "/run/b.sock"},
             "lease-database": {"type": "memfile", "name": "/var/lib/kea/b.csv"}, "loggers": [],
             "hooks-libraries": [{"library": "ha.so", "parameters": {"high-availability": [{"this-server-name": "server2",
               "mode": "load-balancing", "heartbeat-delay": 10000, "max-response-delay": 60000, "max-unacked-clients": 10,
               "peers": [{"name": "server1", "url": "http://0.0.0.0:8000/", "role": "primary"},
                         {"name": "server2", "url": "http://10.0.0.2:8000/", "role": "secondary"}]}]}}],
             "subnet4": [{"id": 2, "subnet": "10.0.0.0/8", "pools": [{"pool": "10.0.0.10 - 10.0.0.20"}]},
                         {"id": 1, "subnet": "192.168.1.0/24", "pools": [{"pool": "192.168.1.100 - 192.168.1.200"}],
                          "reservations": [{"hw-address": "cc:cc:cc:cc:cc:cc", "ip-address": "192.168.1.20"},
                                           {"hw-address": "aa:aa:aa:aa:aa:aa", "ip-address": "192.168.1.74"}]}]}
            """
        #expect(ConfigComparison.differences(try Self.document(Self.server1), try Self.document(server2)).isEmpty)
    }

    @Test func driftIsNamedByPathWithBothValues() throws {
        var server2 = Self.server1.replacingOccurrences(
            of: "\"max-response-delay\": 60000",
            with: "\"max-response-delay\": 30000"
        )
        server2 = server2.replacingOccurrences(
            of: #""192.168.1.100 - 192.168.1.200""#,
            with: #""192.168.1.100 - 192.168.1.150""#
        )
        let differences = ConfigComparison.differences(try Self.document(Self.server1), try Self.document(server2))
        #expect(
            differences == [
                ConfigDifference(
                    path: "Dhcp4.hooks-libraries[library=ha.so].parameters.high-availability[0].max-response-delay",
                    first: "60000",
                    second: "30000"
                ),
                ConfigDifference(
                    path: "Dhcp4.subnet4[id=1].pools[pool=192.168.1.100 - 192.168.1.200]",
                    first: #"{"pool":"192.168.1.100 - 192.168.1.200"}"#,
                    second: nil
                ),
                ConfigDifference(
                    path: "Dhcp4.subnet4[id=1].pools[pool=192.168.1.100 - 192.168.1.150]",
                    first: nil,
                    second: #"{"pool":"192.168.1.100 - 192.168.1.150"}"#
                ),
            ]
        )
    }

    @Test func reservationConflictsNameAddressesIdentifiersAndPaths() throws {
        // Partner 2 gives .74 to another device and device aa… .75; .15 lies in subnet 2's pool.
        let server2 = Self.server1.replacingOccurrences(
            of: #"[{"hw-address": "aa:aa:aa:aa:aa:aa", "ip-address": "192.168.1.74"},"#,
            with:
                #"[{"hw-address": "bb:bb:bb:bb:bb:bb", "ip-address": "192.168.1.74"}, {"hw-address": "aa:aa:aa:aa:aa:aa", "ip-address": "192.168.1.75"},"#
        )
        let inPool = Self.server1.replacingOccurrences(
            of: #""ip-address": "192.168.1.20""#,
            with: #""ip-address": "10.0.0.15""#
        )
        let findings = ReservationCheck.findings([
            ("server1", try Self.document(inPool)), ("server2", try Self.document(server2)),
        ])
        let messages = findings.map(\.message)
        #expect(
            messages.contains(
                "192.168.1.74 is reserved to hw-address=aa:aa:aa:aa:aa:aa on server1 and to hw-address=bb:bb:bb:bb:bb:bb on server2: whichever partner answers decides who gets it, so both devices can end up with it"
            ),
            "\(messages)"
        )
        #expect(
            messages.contains(
                "hw-address=aa:aa:aa:aa:aa:aa is reserved 192.168.1.74 on server1 and 192.168.1.75 on server2: the client's address depends on which partner answers"
            )
        )
        #expect(
            messages.contains(
                "server1: 10.0.0.15, reserved to hw-address=cc:cc:cc:cc:cc:cc in subnet 1, lies in the dynamic pool of subnet 2, which can lease it to another client"
            )
        )
        #expect(
            findings.first?.paths == [
                "Dhcp4.subnet4[id=1].reservations[hw-address=aa:aa:aa:aa:aa:aa]",
                "Dhcp4.subnet4[id=1].reservations[hw-address=bb:bb:bb:bb:bb:bb]",
            ]
        )
    }

    @Test(arguments: [
        (#""heartbeat-delay": 10000, "max-response-delay": 60000, "max-unacked-clients": 10"#, [String]()),
        (
            #""heartbeat-delay": 10000, "max-response-delay": 10000, "max-ack-delay": 5000, "max-unacked-clients": 10"#,
            ["Dhcp4.hooks-libraries[0].parameters.high-availability[0].max-response-delay"]
        ),
        (
            #""max-unacked-clients": 0"#,
            ["Dhcp4.hooks-libraries[0].parameters.high-availability[0].max-unacked-clients"]
        ),
        (#""mode": "passive-backup", "max-unacked-clients": 0"#, [String]()),
    ])
    func haTimersAreCheckedAgainstISCAdvice(settings: String, paths: [String]) throws {
        let mode = settings.contains("\"mode\"") ? "" : #""mode": "hot-standby", "#
        let document = try Self.document(
            #"{"hooks-libraries": [{"library": "ha.so", "parameters": {"high-availability": [{\#(mode)\#(settings)}]}}]}"#
        )
        let findings = HATimerLint.findings(document, server: "server1")
        #expect(findings.compactMap(\.paths.first) == paths)
        #expect(findings.allSatisfy { $0.severity == .info })
    }
}

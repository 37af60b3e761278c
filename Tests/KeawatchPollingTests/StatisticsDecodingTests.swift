import Foundation
import KeawatchModel
import KeawatchTestSupport
import Testing

/// `statistic-get-all` as real Kea 2.2 answers it, and every malformed answer as an observation.
@Suite struct StatisticsDecodingTests {
    static func fixture(_ name: String) throws -> JSONValue {
        let url = URL(fileURLWithPath: Paths.script("Tests/KeawatchPollingTests/Fixtures/\(name)"))
        return try JSONValue.parse(Array(try Data(contentsOf: url)))
    }

    @Test func recordedAnswerGivesEachSubnetsNewestCounters() throws {
        let response = try Self.fixture("statistics__load-balancing__primary__6-of-10-assigned-2-declined.json")
        let statistics = try KeaStatistics.decode(response: response).get()
        #expect(statistics.subnets.map(\.subnetID) == [1, 2])
        #expect(statistics.subnet(1) == SubnetStatistics(subnetID: 1, total: 10, assigned: 6, declined: 2))
        #expect(statistics.subnet(2) == SubnetStatistics(subnetID: 2, total: 65534, assigned: 0, declined: 0))
        #expect(statistics.subnet(1)?.utilization == 0.6)
        #expect(statistics.problems.isEmpty)
    }

    @Test func recordedDHCPv6AnswerGivesNAAndPDCounters() throws {
        let statistics = try KeaStatistics.decode(
            response: try Self.fixture("statistics__dhcp6__load-balancing__secondary__empty.json")
        ).get()
        #expect(
            statistics.subnets == [
                SubnetStatistics(
                    subnetID: 61,
                    total: 256,
                    assigned: 0,
                    declined: 0,
                    totalPrefixes: 256,
                    assignedPrefixes: 0
                )
            ]
        )
    }

    @Test(arguments: [
        // A counter Kea did not report reads as unknown; the others stay.
        (#"{"subnet[3].total-addresses": [[50, "t"]]}"#, SubnetStatistics(subnetID: 3, total: 50), [String]()),
        (
            #"{"subnet[3].total-addresses": [[50, "t"]], "subnet[3].assigned-addresses": [[-3, "t"]]}"#,
            SubnetStatistics(subnetID: 3, total: 50),
            [
                "$[0].arguments[\"subnet[3].assigned-addresses\"]: expected a non-negative number as the newest sample, found -3.0"
            ]
        ),
        (
            #"{"subnet[3].total-addresses": [], "subnet[3].assigned-addresses": [["x", "t"]]}"#,
            SubnetStatistics(subnetID: 3),
            [
                "$[0].arguments[\"subnet[3].assigned-addresses\"]: expected a non-negative number as the newest sample, found a string",
                "$[0].arguments[\"subnet[3].total-addresses\"]: expected a non-negative number as the newest sample, found an array",
            ]
        ),
        // DHCPv6 names: NA addresses and delegated prefixes.
        (
            #"{"subnet[7].total-nas": [[1000, "t"]], "subnet[7].assigned-nas": [[10, "t"]], "subnet[7].total-pds": [[256, "t"]], "subnet[7].assigned-pds": [[64, "t"]], "subnet[7].declined-addresses": [[1, "t"]]}"#,
            SubnetStatistics(
                subnetID: 7,
                total: 1000,
                assigned: 10,
                declined: 1,
                totalPrefixes: 256,
                assignedPrefixes: 64
            ),
            []
        ),
        // Per-pool counters (Kea ≥ 2.4) land on the pool; unrelated statistics are ignored.
        (
            #"{"subnet[2].pool[1].total-addresses": [[20, "t"]], "subnet[2].pool[1].assigned-addresses": [[5, "t"]], "pkt4-received": [[9, "t"]], "subnet[2].reclaimed-leases": [[4, "t"]]}"#,
            SubnetStatistics(subnetID: 2, pools: [PoolStatistics(index: 1, total: 20, assigned: 5)]),
            []
        ),
    ])
    func partialOrBadCountersAreNotedNotFatal(arguments: String, subnet: SubnetStatistics, problems: [String]) throws {
        let body = Array(#"[{"result": 0, "arguments": \#(arguments)}]"#.utf8)
        // The poller parses with `KeaStatistics.pruning`: the same counters, the same problems.
        for response in [try JSONValue.parse(body), try JSONValue.parse(body, pruning: KeaStatistics.pruning)] {
            let statistics = try KeaStatistics.decode(response: response).get()
            #expect(statistics.subnets == [subnet])
            #expect(statistics.problems == problems)
        }
    }

    @Test func aPrunedParseKeepsOnlyTheNewestLeaseCountersAndDecodesTheSame() throws {
        for name in [
            "statistics__load-balancing__primary__6-of-10-assigned-2-declined.json",
            "statistics__dhcp6__load-balancing__secondary__empty.json",
        ] {
            let url = URL(fileURLWithPath: Paths.script("Tests/KeawatchPollingTests/Fixtures/\(name)"))
            let body = Array(try Data(contentsOf: url))
            let pruned = try JSONValue.parse(body, pruning: KeaStatistics.pruning)
            #expect(
                try KeaStatistics.decode(response: pruned).get()
                    == KeaStatistics.decode(response: JSONValue.parse(body)).get()
            )
            let arguments = try #require(pruned.arrayValue?.first?["arguments"]?.objectValue)
            #expect(arguments.keys.allSatisfy { $0.hasPrefix("subnet[") }, "\(arguments.keys)")
            #expect(arguments.allSatisfy { $0.value.arrayValue?.count == 1 }, "only the newest sample")
            #expect(!pruned.serialized.contains("2026-"), "no timestamps: \(pruned.serialized)")
        }
        // What is skipped is still checked: a broken document is an error, not a partial answer.
        #expect(throws: JSONSyntaxError.self) {
            try JSONValue.parse(
                Array(#"[{"result": 0, "arguments": {"pkt4-received": [[1, "t"], }}]"#.utf8),
                pruning: KeaStatistics.pruning
            )
        }
    }

    @Test(arguments: [
        (
            #"[{"result": 2, "text": "'statistic-get-all' command not supported."}]"#, PollFailure.Kind.keaError,
            "result 2: 'statistic-get-all' command not supported."
        ),
        (#"[]"#, .invalidResponse, "$: expected one answer, found an empty array"),
        (#"[{"result": 0}]"#, .invalidResponse, "$[0].arguments: expected an object, found nothing"),
        (#"[{"result": 0, "arguments": []}]"#, .invalidResponse, "$[0].arguments: expected an object, found an array"),
        (#""text""#, .invalidResponse, "$: expected an array or an object, found a string"),
        (#"[{"text": "no result"}]"#, .invalidResponse, "$[0].result: expected an integer result code"),
    ])
    func unusableAnswersAreFailures(body: String, kind: PollFailure.Kind, message: String) throws {
        for response in [
            try JSONValue.parse(Array(body.utf8)),
            try JSONValue.parse(Array(body.utf8), pruning: KeaStatistics.pruning),
        ] {
            #expect(throws: PollFailure(kind: kind, message: message)) {
                try KeaStatistics.decode(response: response).get()
            }
        }
    }
}

import Foundation
import KeawatchModel
import KeawatchRouting
import Testing

/// Routing, grouping and inhibition in simulated time: decisions in, notifications out.
@Suite struct RouterTests {
    static let epoch = Date(timeIntervalSince1970: 1_762_975_000)

    static func alert(_ rule: String, _ target: String, severity: Severity = .critical, event: Bool = false) -> Alert {
        Alert(
            rule: rule,
            severity: severity,
            labels: [("severity", severity.rawValue), ("target", target)],
            summary: "\(rule) \(target)",
            description: "",
            fingerprint: "\(rule)/\(target)",
            episode: "\(rule)/\(target)-1",
            startsAt: epoch,
            endsAt: event ? epoch : nil
        )
    }

    static func fire(_ rule: String, _ target: String, severity: Severity = .critical) -> Decision {
        Decision(kind: .fire, at: epoch, alert: alert(rule, target, severity: severity))
    }

    static func resolve(_ rule: String, _ target: String) -> Decision {
        var resolved = alert(rule, target)
        resolved.endsAt = epoch.addingTimeInterval(100)
        return Decision(kind: .resolve, at: epoch, alert: resolved)
    }

    /// Drives the router: decisions at given seconds, flushing every second; returns what was sent.
    static func run(
        _ router: inout Router,
        _ script: [Double: [Decision]],
        until end: Double
    ) -> [(second: Int, notification: AlertNotification)] {
        var sent: [(Int, AlertNotification)] = []
        var second = 0.0
        while second <= end {
            let now = epoch.addingTimeInterval(second)
            router.ingest(script[second] ?? [], at: now)
            sent += router.flush(at: now).map { (Int(second), $0) }
            second += 1
        }
        return sent
    }

    /// One group for everything (Alertmanager's `group_by: []`), so that bursts across targets meet.
    static let oncall = Route(
        match: ["severity": ["critical"]],
        receivers: ["pager"],
        groupBy: [],
        groupWait: .seconds(10),
        groupInterval: .seconds(60),
        repeatInterval: .seconds(3600)
    )

    @Test func aBurstBecomesOneMessagePerReceiver() {
        var router = Router(routes: [Self.oncall], sendResolved: ["pager"])
        let sent = Self.run(
            &router,
            [0: [Self.fire("KeaHAPartnerDown", "server1")], 3: [Self.fire("KeaServerUnreachable", "server2")]],
            until: 30
        )
        #expect(sent.map(\.second) == [10])
        #expect(sent.first?.notification.items.map(\.alert.rule) == ["KeaHAPartnerDown", "KeaServerUnreachable"])
        #expect(sent.first?.notification.receiver == "pager")
    }

    @Test func aGroupWhoseAlertsAllResolvedSendsItsResolveAtOnceFollowingUpTheFiringMessage() {
        var router = Router(routes: [Self.oncall], sendResolved: ["pager"])
        let sent = Self.run(
            &router,
            [0: [Self.fire("KeaHAPartnerDown", "server1")], 20: [Self.resolve("KeaHAPartnerDown", "server1")]],
            until: 100
        )
        #expect(sent.map(\.second) == [10, 20])
        #expect(sent[1].notification.items.map(\.status) == [.resolved])
        #expect(sent[1].notification.followsUp == sent[0].notification.idempotencyKey)
        #expect(sent[0].notification.idempotencyKey != sent[1].notification.idempotencyKey)
    }

    @Test func receiversWithoutSendResolvedGetNoResolves() {
        var router = Router(routes: [Self.oncall], sendResolved: [])
        let sent = Self.run(
            &router,
            [0: [Self.fire("KeaHAPartnerDown", "server1")], 20: [Self.resolve("KeaHAPartnerDown", "server1")]],
            until: 100
        )
        #expect(sent.map(\.second) == [10])
    }

    @Test func anAlertResolvedBeforeTheFirstMessageIsNeverSent() {
        var router = Router(routes: [Self.oncall], sendResolved: ["pager"])
        let sent = Self.run(
            &router,
            [0: [Self.fire("KeaHAPartnerDown", "server1")], 5: [Self.resolve("KeaHAPartnerDown", "server1")]],
            until: 100
        )
        #expect(sent.isEmpty)
    }

    @Test func aGroupStillFiringIsRepeated() {
        var router = Router(routes: [Self.oncall], sendResolved: ["pager"])
        let sent = Self.run(&router, [0: [Self.fire("KeaHATerminated", "server1")]], until: 7300)
        #expect(sent.map(\.second) == [10, 3610, 7210])
        #expect(sent[1].notification.items.first?.reminder == true)
    }

    @Test func routesMatchInOrderAndContinueWhenAsked() {
        let routes = [
            Route(
                match: ["severity": ["critical"]],
                receivers: ["pager"],
                continueMatching: true,
                groupWait: .seconds(5)
            ),
            Route(match: ["severity": ["critical", "warning"]], receivers: ["chat"], groupWait: .seconds(5)),
            Route(receivers: ["archive"], groupWait: .seconds(5)),
        ]
        var router = Router(routes: routes, sendResolved: [])
        let sent = Self.run(
            &router,
            [
                0: [
                    Self.fire("KeaHAPartnerDown", "server1"),
                    Self.fire("KeaHAHeartbeatStale", "server1", severity: .warning),
                    Self.fire("Info", "x", severity: .info),
                ]
            ],
            until: 10
        )
        let byReceiver = Dictionary(grouping: sent.map(\.notification), by: \.receiver).mapValues {
            $0.flatMap(\.items).map(\.alert.rule).sorted()
        }
        #expect(byReceiver["pager"] == ["KeaHAPartnerDown"])
        #expect(byReceiver["chat"] == ["KeaHAHeartbeatStale", "KeaHAPartnerDown"])
        #expect(byReceiver["archive"] == ["Info"])
    }

    @Test func groupByLabelsSplitsGroups() {
        let route = Route(receivers: ["chat"], groupBy: ["target"], groupWait: .seconds(5))
        var router = Router(routes: [route], sendResolved: [])
        let sent = Self.run(
            &router,
            [0: [Self.fire("A", "server1"), Self.fire("B", "server1"), Self.fire("A", "server2")]],
            until: 10
        )
        #expect(sent.count == 2)
        #expect(
            sent.map(\.notification.groupKey).sorted() == [
                "0:chat:{target=\"server1\"}", "0:chat:{target=\"server2\"}",
            ]
        )
    }

    @Test func anUnreachableServerInhibitsThePartnerDownItExplains() {
        let inhibit = InhibitRule(
            source: ["alertname": ["KeaServerUnreachable"]],
            target: ["alertname": ["KeaHAPartnerDown"]]
        )
        var router = Router(routes: [Self.oncall], inhibitRules: [inhibit], sendResolved: ["pager"])
        let sent = Self.run(
            &router,
            [0: [Self.fire("KeaServerUnreachable", "server2"), Self.fire("KeaHAPartnerDown", "server1")]],
            until: 30
        )
        #expect(sent.count == 1)
        #expect(sent[0].notification.items.map(\.alert.rule) == ["KeaServerUnreachable"])
    }

    @Test func changeEventsAreSentOnceAndNeverResolved() {
        var router = Router(
            routes: [Route(match: ["severity": ["info"]], receivers: ["chat"], groupWait: .seconds(1))],
            sendResolved: ["chat"]
        )
        let event = Decision(
            kind: .fire,
            at: Self.epoch,
            alert: Self.alert("KeaHAStateChanged", "server1", severity: .info, event: true)
        )
        let sent = Self.run(&router, [0: [event]], until: 4000)
        #expect(sent.map(\.second) == [1])
        #expect(sent[0].notification.items.map(\.status) == [.firing])
    }
}

extension RouterTests {
    @Test func alertmanagerReceiversHearFiringAlertsBeforeTheyExpire() {
        var router = Router(routes: [Self.oncall], sendResolved: ["pager"], maximumRepeat: ["pager": .seconds(100)])
        let sent = Self.run(&router, [0: [Self.fire("KeaHATerminated", "server1")]], until: 330)
        #expect(sent.map(\.second) == [10, 110, 210, 310])
    }
}

/// Alertmanager groups and waits itself: a receiver marked immediate hears of every change in the
/// evaluation that produced it, while the other receivers of the same route keep their waits.
@Suite struct ImmediateReceiverTests {
    /// One group for both servers, so that a second alert joins the first one's group.
    static let route = Route(
        match: ["severity": ["critical"]],
        receivers: ["am", "pager"],
        groupBy: [],
        groupWait: .seconds(30),
        groupInterval: .seconds(300),
        repeatInterval: .seconds(3600)
    )

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var script: [Double: [Decision]]
        var am: [Int]
        var pager: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a fire goes out at once, not after group_wait",
            script: [0: [RouterTests.fire("KeaHAPartnerDown", "server1")]],
            am: [0],
            pager: [30]
        ),
        Case(
            name: "a resolve goes out at once, not after group_interval",
            script: [
                0: [RouterTests.fire("KeaHAPartnerDown", "server1")],
                40: [RouterTests.resolve("KeaHAPartnerDown", "server1")],
            ],
            am: [0, 40],
            pager: [30, 40]  // a group whose alerts all resolved tells everyone at once (#10)
        ),
        Case(
            name: "a second alert joining the group goes out at once",
            script: [
                0: [RouterTests.fire("KeaHAPartnerDown", "server1")],
                5: [RouterTests.fire("KeaServerUnreachable", "server2")],
            ],
            am: [0, 5],
            pager: [30]
        ),
    ]

    @Test(arguments: cases) func anImmediateReceiverGetsEveryChangeAtOnce(_ example: Case) {
        var router = Router(routes: [Self.route], sendResolved: ["am", "pager"], immediate: ["am"])
        let sent = RouterTests.run(&router, example.script, until: 400)
        #expect(sent.filter { $0.notification.receiver == "am" }.map(\.second) == example.am)
        #expect(sent.filter { $0.notification.receiver == "pager" }.map(\.second) == example.pager)
    }

    @Test func anAlertAlreadySentIsMarkedRepeatedWhenItsGroupChanges() {
        var router = Router(routes: [Self.route], sendResolved: ["am"], immediate: ["am"])
        let sent = RouterTests.run(
            &router,
            [
                0: [RouterTests.fire("KeaHAPartnerDown", "server1")],
                5: [RouterTests.fire("KeaServerUnreachable", "server2")],
            ],
            until: 10
        ).filter { $0.notification.receiver == "am" }
        #expect(sent.map { $0.notification.items.map(\.repeated) } == [[false], [true, false]])
    }

    @Test func anImmediateResolveCarriesTheResolvedAlert() {
        var router = Router(routes: [Self.route], sendResolved: ["am"], immediate: ["am"])
        let sent = RouterTests.run(
            &router,
            [
                0: [RouterTests.fire("KeaHAPartnerDown", "server1")],
                40: [RouterTests.resolve("KeaHAPartnerDown", "server1")],
            ],
            until: 60
        )
        #expect(sent.last?.notification.items.map(\.status) == [.resolved])
        #expect(sent.last?.notification.items.map(\.alert.rule) == ["KeaHAPartnerDown"])
    }
}

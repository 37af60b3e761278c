import Foundation
import KeawatchModel
import KeawatchRouting
import KeawatchRules
import Testing

/// Incidents in simulated time: a cause's symptoms ride inside its message and resolve with it; an
/// all-resolved group is sent at once; a more severe alert is sent at once; one group per pair.
@Suite struct CorrelationRoutingTests {
    static let epoch = Date(timeIntervalSince1970: 1_762_975_000)

    static func alert(
        _ rule: String,
        _ target: String?,
        pair: String? = "site-a",
        severity: Severity = .critical
    )
        -> Alert
    {
        var labels: [(name: String, value: String)] = []
        if let pair { labels.append(("pair", pair)) }
        labels.append(("severity", severity.rawValue))
        if let target { labels.append(("target", target)) }
        return Alert(
            rule: rule,
            severity: severity,
            labels: labels,
            summary: "\(rule) \(target ?? pair ?? "-")",
            description: "",
            fingerprint: "\(rule)/\(target ?? "")/\(pair ?? "")",
            episode: "\(rule)/\(target ?? "")-1",
            startsAt: epoch
        )
    }

    enum Step {
        case fire(String, String?, Severity)
        case resolve(String, String?)
    }

    static func fire(_ rule: String, _ target: String?, _ severity: Severity = .critical) -> Step {
        .fire(rule, target, severity)
    }

    /// Drives the router with the daemon's rhythm (a flush every second); returns what was sent.
    static func run(
        _ script: [Int: [Step]],
        until end: Int,
        router: Router = Self.router()
    ) -> (sent: [(second: Int, notification: AlertNotification)], router: Router) {
        var router = router
        var sent: [(Int, AlertNotification)] = []
        var severities: [String: Severity] = [:]
        for second in 0...end {
            let now = epoch.addingTimeInterval(Double(second))
            let decisions = (script[second] ?? []).map { step -> Decision in
                switch step {
                case .fire(let rule, let target, let severity):
                    severities["\(rule)/\(target ?? "")"] = severity
                    var alert = alert(rule, target, severity: severity)
                    alert.startsAt = now
                    return Decision(kind: .fire, at: now, alert: alert)
                case .resolve(let rule, let target):
                    var alert = alert(rule, target, severity: severities["\(rule)/\(target ?? "")"] ?? .critical)
                    alert.endsAt = now
                    return Decision(kind: .resolve, at: now, alert: alert)
                }
            }
            router.ingest(decisions, at: now)
            sent += router.flush(at: now).map { (second, $0) }
        }
        return (sent, router)
    }

    static let correlations = [
        Correlation(
            causes: ["KeaServerUnreachable"],
            explains: ["KeaHAPartnerDown", "KeaHAHeartbeatStale", "KeaHAServingAlone"]
        ),
        Correlation(causes: ["KeaHAServingAlone"], explains: ["KeaHAPartnerDown"]),
    ]

    static func router() -> Router {
        Router(
            routes: [Route(receivers: ["oncall"], groupInterval: .seconds(60))],
            sendResolved: ["oncall"],
            correlations: correlations
        )
    }

    static func rules(_ notification: AlertNotification) -> [String] {
        notification.items.map { "\($0.status.rawValue) \($0.alert.rule)" }
    }

    @Test func aSymptomOfAFiringCauseIsListedInsideTheCausesMessage() {
        let sent = Self.run(
            [
                0: [Self.fire("KeaServerUnreachable", "server2")],
                5: [Self.fire("KeaHAHeartbeatStale", "server1", .warning)],
            ],
            until: 30
        ).sent
        #expect(sent.map(\.second) == [10])
        #expect(sent.first.map { Self.rules($0.notification) } == ["firing KeaServerUnreachable"])
        #expect(
            sent.first?.notification.items.first?.alsoObserved == ["KeaHAHeartbeatStale: KeaHAHeartbeatStale server1"]
        )
    }

    @Test func symptomsJoiningAfterThePageSendNothingAndChainsLeadToTheRoot() {
        let (sent, router) = Self.run(
            [
                0: [Self.fire("KeaServerUnreachable", "server2")],
                30: [Self.fire("KeaHAServingAlone", nil)],
                40: [Self.fire("KeaHAPartnerDown", "server1")],
            ],
            until: 200
        )
        #expect(sent.map(\.second) == [10])
        let partnerDown = Self.alert("KeaHAPartnerDown", "server1")
        #expect(router.suppression(of: partnerDown, at: Self.epoch) == "explained by KeaServerUnreachable (server2)")
    }

    @Test func theCausesResolveWaitsForItsSymptomsThenGoesAtOnceWithThem() {
        let sent = Self.run(
            [
                0: [Self.fire("KeaServerUnreachable", "server2")],
                30: [Self.fire("KeaHAPartnerDown", "server1")],
                100: [.resolve("KeaServerUnreachable", "server2")],
                112: [.resolve("KeaHAPartnerDown", "server1")],
            ],
            until: 400
        ).sent
        #expect(sent.map(\.second) == [10, 112])
        #expect(Self.rules(sent[1].notification) == ["resolved KeaServerUnreachable"])
        #expect(sent[1].notification.status == .resolved)
        #expect(sent[1].notification.items.first?.alsoObserved == ["KeaHAPartnerDown: KeaHAPartnerDown server1"])
        #expect(sent[1].notification.followsUp == sent[0].notification.idempotencyKey)
    }

    @Test func aSymptomOutlivingItsCauseBeyondTheHoldIsNewsOfItsOwn() {
        let sent = Self.run(
            [
                0: [Self.fire("KeaServerUnreachable", "server2")],
                30: [Self.fire("KeaHAPartnerDown", "server1")],
                100: [.resolve("KeaServerUnreachable", "server2")],
            ],
            until: 400
        ).sent
        #expect(sent.map(\.second) == [10, 220])
        #expect(Self.rules(sent[1].notification) == ["firing KeaHAPartnerDown", "resolved KeaServerUnreachable"])
    }

    @Test func aMoreSevereAlertJoiningAGroupIsSentAtOnce() {
        let sent = Self.run(
            [
                0: [Self.fire("KeaHACommunicationInterrupted", "server1", .warning)],
                20: [Self.fire("KeaHATerminated", "server2")],
                30: [Self.fire("KeaHAViewsDisagree", nil, .warning)],
            ],
            until: 100
        ).sent
        // The warning waits group_wait; the critical goes at once; the later warning waits group_interval.
        #expect(sent.map(\.second) == [10, 20, 80])
        #expect(Self.rules(sent[1].notification).first == "firing KeaHATerminated")
    }

    @Test func withoutCorrelationsEverythingIsSentAsAlertmanagerWould() {
        let sent = Self.run(
            [0: [Self.fire("KeaServerUnreachable", "server2"), Self.fire("KeaHAPartnerDown", "server1")]],
            until: 30,
            router: Router(routes: [Route(receivers: ["oncall"])], sendResolved: ["oncall"])
        ).sent
        #expect(sent.count == 1)
        #expect(Set(Self.rules(sent[0].notification)) == ["firing KeaServerUnreachable", "firing KeaHAPartnerDown"])
    }

    /// (alerts: target, pair) → the groups they land in with the default route.
    @Test(
        arguments: [
            ([("server1", "site-a"), ("server2", "site-a")], ["{pair=\"site-a\"}"]),
            ([("server1", "site-a"), ("server3", "site-b")], ["{pair=\"site-a\"}", "{pair=\"site-b\"}"]),
            ([("lonely", nil), ("server1", "site-a")], ["{pair=\"site-a\"}", "{target=\"lonely\"}"]),
        ] as [([(String, String?)], [String])]
    )
    func theDefaultRouteGroupsByPairAndALoneTargetIsItsOwnGroup(alerts: [(String, String?)], groups: [String]) {
        var router = Router(routes: [Route(receivers: ["oncall"])], sendResolved: [])
        router.ingest(
            alerts.map {
                Decision(kind: .fire, at: Self.epoch, alert: Self.alert("KeaHATerminated", $0.0, pair: $0.1))
            },
            at: Self.epoch
        )
        let sent = router.flush(at: Self.epoch.addingTimeInterval(10))
        #expect(sent.map { String($0.groupKey.drop { $0 != "{" }) }.sorted() == groups)
    }
}

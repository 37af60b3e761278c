import Foundation
import KeawatchModel
import KeawatchRouting
import Testing

/// Silences and maintenance muting in the router, in simulated time.
@Suite struct SilenceTests {
    static let epoch = RouterTests.epoch

    static func silence(_ matchers: [String], from start: Double, to end: Double) -> Silence {
        Silence(
            id: "s1",
            matchers: matchers.compactMap(LabelMatcher.init(parsing:)),
            comment: "planned work",
            createdBy: "ops",
            startsAt: epoch.addingTimeInterval(start),
            endsAt: epoch.addingTimeInterval(end)
        )
    }

    @Test(arguments: [
        ("target=server1", true), ("target!=server1", false), ("alertname=~KeaHA.*", true),
        ("alertname!~KeaHA.*", false), ("pair=site-a", false), ("pair=", true), ("target=~server", false),
    ])
    func matchersFollowAlertmanagersSemantics(text: String, matches: Bool) throws {
        let matcher = try #require(LabelMatcher(parsing: text))
        let labels = [(name: "alertname", value: "KeaHAPartnerDown"), (name: "target", value: "server1")]
        #expect(matcher.matches(labels) == matches)
    }

    @Test(arguments: ["", "target", "=x", "tar get=x", "alertname=~(", "name~x"])
    func malformedMatchersAreRefused(text: String) {
        #expect(LabelMatcher(parsing: text) == nil)
    }

    @Test func aSilencedAlertIsNotSentAndIsSentWhenTheSilenceEndsWhileItStillFires() {
        var router = Router(routes: [RouterTests.oncall], sendResolved: ["pager"])
        router.restore(silences: [Self.silence(["target=server1"], from: 0, to: 120)])
        let sent = RouterTests.run(&router, [0: [RouterTests.fire("KeaHAPartnerDown", "server1")]], until: 200)
        #expect(sent.map(\.second) == [120])
        #expect(sent.first?.notification.items.map(\.status) == [.firing])
    }

    @Test func anAlertThatResolvesWhileSilencedIsNeverSentAtAll() {
        var router = Router(routes: [RouterTests.oncall], sendResolved: ["pager"])
        router.restore(silences: [Self.silence(["alertname=KeaHAPartnerDown"], from: 0, to: 120)])
        let sent = RouterTests.run(
            &router,
            [
                0: [RouterTests.fire("KeaHAPartnerDown", "server1")],
                50: [RouterTests.resolve("KeaHAPartnerDown", "server1")],
            ],
            until: 300
        )
        #expect(sent.isEmpty)
    }

    @Test func silencesMuteOnlyWhatTheyMatch() {
        var router = Router(routes: [RouterTests.oncall], sendResolved: ["pager"])
        router.restore(silences: [Self.silence(["target=server2"], from: 0, to: 3600)])
        let sent = RouterTests.run(
            &router,
            [
                0: [
                    RouterTests.fire("KeaHAPartnerDown", "server1"),
                    RouterTests.fire("KeaServerUnreachable", "server2"),
                ]
            ],
            until: 30
        )
        #expect(sent.flatMap { $0.notification.items.map { $0.alert.label("target") } } == ["server1"])
        #expect(
            router.suppression(of: RouterTests.alert("KeaServerUnreachable", "server2"), at: Self.epoch)
                == "silenced by s1"
        )
    }

    @Test func whatSilencesMatchIsRememberedOnlyWhileTheSilencesStayTheSame() {
        var router = Router(routes: [RouterTests.oncall], sendResolved: ["pager"])
        let alert = RouterTests.alert("KeaServerUnreachable", "server1")
        func silence(_ id: String, _ matcher: String) -> Silence {
            var silence = Self.silence([matcher], from: 0, to: 3600)
            silence.id = id
            return silence
        }
        router.restore(silences: [silence("other", "target=server2")])
        #expect(router.suppression(of: alert, at: Self.epoch) == nil)
        router.upsert(silence("added", "target=~server[0-9]"))
        #expect(router.suppression(of: alert, at: Self.epoch) == "silenced by added")
        router.expireSilence("added", at: Self.epoch)
        #expect(router.suppression(of: alert, at: Self.epoch) == nil)
        router.restore(silences: [silence("replaced", "alertname=KeaServerUnreachable")])
        #expect(router.suppression(of: alert, at: Self.epoch) == "silenced by replaced")
        router.restore(silences: [])
        #expect(router.suppression(of: alert, at: Self.epoch) == nil)
    }

    @Test func maintenanceMutesTheTargetUntilItEnds() {
        var router = Router(routes: [RouterTests.oncall], sendResolved: ["pager"])
        router.mute(targets: ["server1"], pairs: [])
        var sent = RouterTests.run(&router, [0: [RouterTests.fire("KeaHAPartnerDown", "server1")]], until: 30)
        #expect(sent.isEmpty)
        router.mute(targets: [], pairs: [])
        sent = (31...100).flatMap { second in
            router.flush(at: Self.epoch.addingTimeInterval(Double(second))).map { (second, $0) }
        }
        // At once: its group wait is long over and nothing of the group was sent yet.
        #expect(sent.map(\.0) == [31])
    }
}

import Foundation
import KeawatchDaemon
import KeawatchModel
import KeawatchStore
import Testing

/// The status page as a pure rendering of the status document and the state history: what a
/// person must see, and nothing from Kea or the config ever read as markup.
@Suite struct StatusPageTests {
    static let now = Date(timeIntervalSince1970: 1_762_975_000)

    static func status(target: String = "server2", label: String = "server2", summary: String = "down") -> JSONValue {
        func ha(_ state: String, remote: String) -> JSONValue {
            .array([
                .object(
                    JSONObject([
                        ("mode", .string("load-balancing")), ("local-role", .string("primary")),
                        ("local-state", .string(state)), ("remote-state", .string(remote)),
                        ("communication-interrupted", .bool(true)), ("age", .number(42)),
                        ("unacked-clients", .number(3)),
                    ])
                )
            ])
        }
        return .object(
            JSONObject([
                ("healthy", .bool(true)), ("health", .string("ok")),
                (
                    "targets",
                    .array([
                        .object(
                            JSONObject([
                                ("name", .string("server1")), ("reachable", .bool(true)),
                                ("ha", ha("partner-down", remote: "unavailable")),
                            ])
                        ),
                        .object(
                            JSONObject([
                                ("name", .string(target)), ("reachable", .bool(false)),
                                (
                                    "error",
                                    .object(["kind": .string("connection-refused"), "message": .string("refused")])
                                ),
                            ])
                        ),
                    ])
                ),
                (
                    "pairs",
                    .array([
                        .object([
                            "name": .string("server1+\(target)"),
                            "targets": .array([.string("server1"), .string(target)]),
                        ])
                    ])
                ),
                (
                    "alerts",
                    .array([
                        .object(
                            JSONObject([
                                ("rule", .string("KeaServerUnreachable")), ("severity", .string("critical")),
                                ("labels", .array([.array([.string("target"), .string(label)])])),
                                ("summary", .string(summary)), ("startsAt", .string("2025-11-12T19:15:00.000Z")),
                                ("state", .string("firing")),
                            ])
                        ),
                        .object(
                            JSONObject([
                                ("rule", .string("KeaHAPartnerDown")), ("subject", .string("server1#0")),
                                ("state", .string("pending")), ("since", .string("2025-11-12T19:16:00.000Z")),
                            ])
                        ),
                        .object(
                            JSONObject([
                                ("rule", .string("KeaHAHeartbeatStale")), ("severity", .string("warning")),
                                ("labels", .array([.array([.string("target"), .string("server1")])])),
                                ("summary", .string("stale")), ("startsAt", .string("2025-11-12T19:15:00.000Z")),
                                ("state", .string("firing")), ("suppressed", .string("silenced by abc")),
                            ])
                        ),
                    ])
                ),
                (
                    "receivers",
                    .array([
                        .object(
                            JSONObject([
                                ("name", .string("oncall")), ("type", .string("webhook")),
                                ("destination", .string("https://hooks.example/…")),
                                ("last_error", .string("HTTP 503")),
                            ])
                        )
                    ])
                ),
                ("outbox", .object(JSONObject([("depth", .number(2)), ("oldest_age_seconds", .number(75))]))),
                ("dead_letters", .array([])),
                (
                    "silences",
                    .array([
                        .object(
                            JSONObject([
                                ("id", .string("abc")), ("matchers", .array([.string("target=\"server1\"")])),
                                ("comment", .string("planned")), ("created_by", .string("ops")),
                                ("ends_at", .string("2025-11-12T21:00:00.000Z")), ("active", .bool(true)),
                            ])
                        )
                    ])
                ),
            ])
        )
    }

    static let restart: [StateChange] = [
        ("unreachable", -3000.0), ("waiting", -2990.0), ("syncing", -2985.0), ("ready", -2980.0),
        ("load-balancing", -2978.0), ("unreachable", -100.0),
    ].map { state, offset in
        StateChange(
            target: "server2",
            at: now.addingTimeInterval(offset),
            summary: state == "unreachable"
                ? #"{"reachable":false,"error":"connection-refused"}"#
                : #"{"reachable":true,"ha":[{"local":"\#(state)","remote":"load-balancing","comm-interrupted":false}]}"#
        )
    }.reversed()

    @Test func everyPartAPersonNeedsIsOnThePage() {
        let page = StatusPage(status: Self.status(), history: ["server2": Self.restart], now: Self.now).render()
        let expected = [
            #"<meta http-equiv="refresh""#,
            #"<tr data-target="server1" data-state="partner-down">"#,
            #"<tr data-target="server2" data-state="unreachable">"#,
            "✖ no (connection-refused)",
            "⚠ partner-down",
            "42 s (⚠ communication interrupted)",
            #"data-state="firing" data-rule="KeaServerUnreachable" data-about="target=server2""#,
            #"data-state="pending" data-rule="KeaHAPartnerDown" data-about="server1#0""#,
            #"data-state="suppressed" data-rule="KeaHAHeartbeatStale""#,
            "not sent: silenced by abc",
            "✖ HTTP 503",
            "Outbox: <strong>2</strong> waiting, the oldest for 1m15s",
            "<code>target=&quot;server1&quot;</code>",
        ]
        for fragment in expected {
            #expect(page.contains(fragment), "missing: \(fragment)")
        }
        #expect(!page.contains("<script"))
    }

    @Test func theTimelineDrawsTheRestartWalkInOrder() {
        let page = StatusPage(status: Self.status(), history: ["server2": Self.restart], now: Self.now)
        let end = Self.now.timeIntervalSince1970
        let walk = page.segments(of: "server2", from: end - 3 * 3600, to: end).map(\.state)
        #expect(walk == ["unreachable", "waiting", "syncing", "ready", "load-balancing", "unreachable"])
        let html = page.render()
        for state in walk { #expect(html.contains(#"data-state="\#(state)"><title>server2: \#(state) for"#)) }
        #expect(html.contains("server2 → syncing"))
    }

    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        (#""><img src=x onerror=alert(1)>"#, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("a&b's", "a&amp;b&#39;s"),
    ])
    func stringsFromKeaAndTheConfigAreShownAsText(_ hostile: String, _ escaped: String) {
        let page = StatusPage(
            status: Self.status(target: hostile, label: hostile, summary: hostile),
            history: [hostile: Self.restart.map { StateChange(target: hostile, at: $0.at, summary: $0.summary) }],
            now: Self.now
        ).render()
        #expect(!page.contains(hostile))
        #expect(page.contains(escaped))
    }
}

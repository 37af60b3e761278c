import KeawatchDaemon
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import Testing

@Suite struct RouteConfigTests {
    func load(routes: String, inhibit: String = "[]") throws(LocatedErrors) -> KeawatchConfig {
        let text = """
            {"targets": [{"name": "k", "url": "http://h/"}],
             "receivers": [{"name": "pager", "type": "webhook", "url": "http://p/"}, {"name": "chat", "type": "slack", "url": "https://s/"}],
             "routes": \(routes), "inhibit": \(inhibit)}
            """
        return try KeawatchConfig.load(
            file: "/etc/keawatch/config.json",
            sources: ConfigLoadingTests.sources(["/etc/keawatch/config.json": text])
        )
    }

    @Test func routesAndInhibitionLoad() throws {
        let config = try load(
            routes: """
                [{"match": {"severity": "critical"}, "receivers": ["pager"], "continue": true, "group_wait": "10s"},
                 {"receivers": ["chat"], "group_by": ["target"]}]
                """,
            inhibit: """
                [{"source": {"alertname": ["KeaServerUnreachable", "KeaHAServingAlone"]}, "target": {"alertname": "KeaHAPartnerDown"}}]
                """
        )
        #expect(config.routes.count == 2)
        #expect(config.routes[0].match == ["severity": ["critical"]])
        #expect(config.routes[0].continueMatching)
        #expect(config.routes[0].groupWait == .seconds(10))
        #expect(config.routes[1].groupBy == ["target"])
        #expect(config.inhibitRules.first?.source["alertname"] == ["KeaServerUnreachable", "KeaHAServingAlone"])
    }

    @Test func withoutRoutesEveryReceiverGetsWhatPagesOrWarnsGroupedPerPair() throws {
        let config = try load(routes: "[]")
        #expect(config.routes == [Route(match: ["severity": ["critical", "warning"]], receivers: ["pager", "chat"])])
        #expect(config.routes.first?.groupBy == ["pair"])
        #expect(config.routes.first?.groupWait == .seconds(10))
    }

    @Test(arguments: [
        (
            "[{\"receivers\": [\"pagr\"]}]", "[]",
            "$.routes[0].receivers[0]: expected the name of a configured receiver (pager, chat), found \"pagr\""
        ),
        ("[{\"receivers\": []}]", "[]", "$.routes[0].receivers: expected a list of at least one receiver name"),
        (
            "[{\"receivers\": [\"chat\"], \"match\": {\"severity\": 2}}]", "[]",
            "$.routes[0].match.severity: expected a label value or a list of them, found a number"
        ),
        (
            "[{\"receivers\": [\"chat\"], \"wait\": \"5s\"}]", "[]",
            "$.routes[0].wait: expected no such key (known keys: continue, group_by, group_interval, group_wait, match, receivers, repeat_interval)"
        ),
        (
            "[]", "[{\"source\": {}, \"target\": {\"alertname\": \"X\"}}]",
            "$.inhibit[0]: expected non-empty source and target matchers"
        ),
    ])
    func routeMistakesSayWhereAndWhat(routes: String, inhibit: String, message: String) {
        do {
            _ = try load(routes: routes, inhibit: inhibit)
            Issue.record("accepted \(routes) \(inhibit)")
        } catch {
            #expect(error.description == "/etc/keawatch/config.json: " + message)
        }
    }
}

@Suite struct ReceiverTemplateConfigTests {
    func load(_ templates: String) throws(LocatedErrors) -> KeawatchConfig {
        let text = """
            {"targets": [{"name": "k", "url": "http://h/"}],
             "receivers": [{"name": "chat", "type": "slack", "url": "https://s/", "templates": \(templates)}]}
            """
        return try KeawatchConfig.load(
            file: "/etc/keawatch/config.json",
            sources: ConfigLoadingTests.sources(["/etc/keawatch/config.json": text])
        )
    }

    @Test func aReceiverCanOverrideItsChatTemplate() throws {
        let config = try load("{\"chat\": \"{{#alerts}}{{rule}} is {{status}}\\n{{/alerts}}\"}")
        #expect(
            config.receivers[0].templates.render(\.chat, ReceiverConfigTests.sampleNotification)
                == "KeaHAPartnerDown is firing\n"
        )
    }

    @Test(arguments: [
        (
            "{\"body\": \"x\"}",
            "$.receivers[0].templates.body: expected a Mustache template string named one of chat, html, subject, text"
        ),
        ("{\"chat\": \"{{#alerts}}\"}", "$.receivers[0].templates.chat: expected a valid Mustache template"),
    ])
    func badTemplatesAreConfigErrors(templates: String, prefix: String) {
        do {
            _ = try load(templates)
            Issue.record("accepted \(templates)")
        } catch {
            #expect(error.description.hasPrefix("/etc/keawatch/config.json: " + prefix))
        }
    }
}

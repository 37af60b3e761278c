import Foundation
import GRDB
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import Synchronization
import Testing

@testable import KeawatchDaemon
@testable import KeawatchStore

/// The endpoint's API as anyone on the host can call it, and the store as a damaged disk or an
/// older bug may have left it: nothing here may stop the agent.
@Suite struct HostileEndpointTests {
    static let config = try! KeawatchConfig.load(
        file: "/etc/keawatch/config.json",
        sources: ConfigLoadingTests.sources([
            "/etc/keawatch/config.json": #"{"targets": [{"name": "k", "url": "http://127.0.0.1:9/"}]}"#
        ])
    )

    func api(_ store: SQLiteStore) async throws -> StatusAPI {
        let pipeline = try await AlertPipeline(rules: [], config: Self.config, store: store, transport: CurlTransport())
        return StatusAPI(pipeline: pipeline, metrics: AgentMetrics())
    }

    func post(_ api: StatusAPI, _ body: String) async -> StatusAPI.Response {
        await api.handle(method: "POST", path: "/api/v1/silences", body: Array(body.utf8))
    }

    func error(_ response: StatusAPI.Response) -> String {
        (try? JSONValue.parse(response.body))?["error"]?.stringValue ?? ""
    }

    @Test(arguments: [
        (#"{"matchers": ["a=b"], "duration": 1e300}"#, "$.duration"),
        (#"{"matchers": ["a=b"], "duration": "106751991167d"}"#, "$.duration"),
        (#"{"matchers": ["a=b"], "duration": "99999999999999d"}"#, "$.duration"),
        (#"{"matchers": ["a=b"], "duration": "367d"}"#, "$.duration"),
        (#"{"matchers": ["a=b"], "duration": "0s"}"#, "$.duration"),
        (#"{"matchers": ["a=b"], "ends_at": "9999-12-31T23:59:59Z"}"#, "$.ends_at"),
        (#"{"matchers": ["a=b"], "ends_at": "2000-01-01T00:00:00Z"}"#, "$.ends_at"),
        (#"{"matchers": ["a=~("]}"#, "$.matchers[0]"),
    ])
    func silencesBeyondAYearOrMalformedAreRefused(body: String, path: String) async throws {
        let api = try await api(try SQLiteStore(path: nil))
        let response = await post(api, body)
        #expect(response.status == 400)
        #expect(error(response).hasPrefix(path))
        // The agent still answers everything else.
        #expect(await api.handle(method: "GET", path: "/api/v1/status", body: []).status == 200)
        #expect(await api.handle(method: "GET", path: "/api/v1/silences", body: []).status == 200)
    }

    @Test func aThousandSilencesAreTheCap() async throws {
        let api = try await api(try SQLiteStore(path: nil))
        for index in 0..<Silence.maximumActive {
            let response = await post(api, #"{"matchers": ["target=~k\#(index)|x.*"], "duration": "1h"}"#)
            try #require(response.status == 201)
        }
        let refused = await post(api, #"{"matchers": ["a=b"], "duration": "1h"}"#)
        #expect(refused.status == 409)
        #expect(error(refused) == "at most 1000 silences can be active at once: expire some first")
    }

    @Test func damagedStoredSilencesAreSkippedReportedAndRemoved() async throws {
        let damage = Mutex<[String]>([])
        let store = try SQLiteStore(path: nil) { report in damage.withLock { $0.append(report) } }
        let now = Date().timeIntervalSince1970
        try await store.database.write { db in
            for (id, matchers, ends) in [
                ("huge", #"[{"name":"a","op":"=","value":"b"}]"#, 1e300),
                ("no-matchers", "[]", now + 60),
                ("bad-regex", #"[{"name":"a","op":"=~","value":"("}]"#, now + 60),
                ("not-json", "{", now + 60),
                ("good", #"[{"name":"a","op":"=","value":"b"}]"#, now + 60),
            ] {
                try db.execute(
                    sql: "INSERT INTO silences VALUES (?, ?, '', '', ?, ?)",
                    arguments: [id, matchers, now - 1, ends]
                )
            }
        }
        let api = try await api(store)
        #expect(await api.handle(method: "GET", path: "/api/v1/status", body: []).status == 200)
        let listed = try JSONValue.parse(await api.handle(method: "GET", path: "/api/v1/silences", body: []).body)
        #expect(listed.arrayValue?.compactMap { $0["id"]?.stringValue } == ["good"])
        #expect(damage.withLock { $0.count } == 4)
        // Removed once: a restart reports nothing again.
        _ = try await store.silences(at: Date())
        #expect(damage.withLock { $0.count } == 4)
    }

    @Test func aDamagedCheckpointStartsFreshInsteadOfStoppingTheAgent() async throws {
        let damage = Mutex<[String]>([])
        let store = try SQLiteStore(path: nil) { report in damage.withLock { $0.append(report) } }
        for data in [#"{"version": 1, "targets": [{"name": "k", "latest": {"at": 1e300}}]}"#, "{{"] {
            try await store.database.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO engine_checkpoint (id, taken_at, data) VALUES (1, 0, ?)",
                    arguments: [Data(data.utf8)]
                )
            }
            let api = try await api(store)
            #expect(await api.handle(method: "GET", path: "/api/v1/status", body: []).status == 200)
        }
        #expect(damage.withLock { $0.count } == 2)
    }

    @Test(arguments: [
        ("GET", "/api/v1/history/%ZZ%", ""), ("DELETE", "/api/v1/silences/\u{0}", ""),
        ("POST", "/api/v1/silences", "{\"matchers\": [\"" + String(repeating: "(", count: 10_000) + "\"]}"),
        ("POST", "/api/v1/silences", "[]"), ("POST", "/api/v1/silences", "\u{FF}"), ("PUT", "/metrics", ""),
    ])
    func oddRequestsGetClearAnswers(method: String, path: String, body: String) async throws {
        let api = try await api(try SQLiteStore(path: nil))
        let response = await api.handle(method: method, path: path, body: Array(body.utf8))
        #expect((200..<500).contains(response.status))
    }
}

import KeawatchModel
import KeawatchNotify
import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The subset of Alertmanager's API v2 that its clients use (amtool, Grafana's Alertmanager data
/// source), backed by keawatch's own alerts and silences: `GET /api/v2/status`, `GET /api/v2/alerts`,
/// `GET /api/v2/alerts/groups`, `GET`/`POST /api/v2/silences`, `GET`/`DELETE /api/v2/silence/{id}`.
/// Only firing alerts are listed (Alertmanager never sees pending ones); a silenced or muted alert
/// is `suppressed`, with the silence's id in `silencedBy`.
struct AlertmanagerAPI: Sendable {
    let pipeline: AlertPipeline
    typealias Response = StatusAPI.Response

    /// Alertmanager answers errors with a JSON string, and its clients decode them so.
    static func error(_ status: Int, _ message: String) -> Response {
        Response(status: status, json: .string(message))
    }

    func handle(method: String, path: String, query: String, body: [UInt8]) async -> Response {
        let now = Date()
        let parameters = Self.parameters(query)
        do {
            switch (method, path) {
            case ("GET", "/api/v2/status"):
                return Response(status: 200, json: await status())
            case ("GET", "/api/v2/alerts"):
                return Response(status: 200, json: .array(try await alerts(at: now, parameters).map(\.json)))
            case ("GET", "/api/v2/alerts/groups"):
                return Response(status: 200, json: try await groups(at: now, parameters))
            case ("GET", "/api/v2/silences"):
                let matchers = try Self.filter(parameters)
                let silences = await pipeline.silences(at: now).filter { silence in
                    matchers.allSatisfy { matcher in
                        silence.matchers.contains { $0.name == matcher.name && matcher.matches([($0.name, $0.value)]) }
                    }
                }
                return Response(status: 200, json: .array(silences.map { Self.json($0, at: now) }))
            case ("POST", "/api/v2/silences"):
                return try await addSilence(body, at: now)
            case ("GET", _) where path.hasPrefix("/api/v2/silence/"):
                let id = StatusAPI.percentDecoded(path.dropFirst("/api/v2/silence/".count))
                guard let silence = await pipeline.silences(at: now).first(where: { $0.id == id }) else {
                    return Self.error(404, "no silence \(id)")
                }
                return Response(status: 200, json: Self.json(silence, at: now))
            case ("DELETE", _) where path.hasPrefix("/api/v2/silence/"):
                let id = StatusAPI.percentDecoded(path.dropFirst("/api/v2/silence/".count))
                guard try await pipeline.expireSilence(id, at: now) else {
                    return Self.error(404, "no active silence \(id)")
                }
                return Response(status: 200, contentType: "application/json", body: [])
            case (_, "/api/v2/status"), (_, "/api/v2/alerts"), (_, "/api/v2/alerts/groups"), (_, "/api/v2/silences"):
                return Self.error(405, "method \(method) not allowed on \(path)")
            default:
                return Self.error(404, "no such endpoint: \(path)")
            }
        } catch let error as JSONShapeError {
            return Self.error(400, error.description)
        } catch let error as JSONSyntaxError {
            return Self.error(400, "request body: \(error)")
        } catch let error as BadParameter {
            return Self.error(400, error.description)
        } catch {
            return Self.error(500, "\(error)")
        }
    }

    struct BadParameter: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Status

    private func status() async -> JSONValue {
        let started = pipeline.launchedAt
        return .object(
            JSONObject([
                ("cluster", .object(JSONObject([("status", .string("disabled")), ("peers", .array([]))]))),
                (
                    "versionInfo",
                    .object(
                        JSONObject([
                            ("version", .string("keawatch")), ("revision", .string("")), ("branch", .string("")),
                            ("buildUser", .string("")), ("buildDate", .string("")), ("goVersion", .string("")),
                        ])
                    )
                ),
                (
                    "config",
                    .object([
                        "original": .string(
                            "# keawatch: alerts and silences of this agent through Alertmanager's API v2 (a subset);\n"
                                + "# routing, receivers and grouping are keawatch's own (its config file).\n"
                        )
                    ])
                ),
                ("uptime", .string(Timestamp.format(started))),
            ])
        )
    }

    // MARK: Alerts

    struct Listed {
        var labels: [(name: String, value: String)]
        var json: JSONValue
    }

    /// Firing alerts in Alertmanager's `gettableAlert` shape, filtered as the request asks
    /// (`filter` matchers; `active`, `silenced`, `inhibited` flags, all true by default).
    private func alerts(at now: Date, _ parameters: [(String, String)]) async throws -> [Listed] {
        let matchers = try Self.filter(parameters)
        func flag(_ name: String) throws -> Bool {
            guard let value = parameters.last(where: { $0.0 == name })?.1 else { return true }
            guard let parsed = Bool(value) else {
                throw BadParameter(description: "query parameter \(name): expected true or false, found \"\(value)\"")
            }
            return parsed
        }
        let (active, silenced, inhibited) = (try flag("active"), try flag("silenced"), try flag("inhibited"))
        let status = try await pipeline.status(at: now)
        let receivers = await pipeline.receiverNames
        var listed: [Listed] = []
        for alert in status["alerts"]?.arrayValue ?? [] where alert["state"]?.stringValue == "firing" {
            let rule = alert["rule"]?.stringValue ?? ""
            let labels =
                [(name: "alertname", value: rule)]
                + (alert["labels"]?.arrayValue ?? []).compactMap { pair -> (name: String, value: String)? in
                    guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue,
                        let value = items[1].stringValue
                    else { return nil }
                    return (name, value)
                }
            guard matchers.allSatisfy({ $0.matches(labels) }) else { continue }
            let suppressed = alert["suppressed"]?.stringValue
            var silencedBy: [JSONValue] = []
            var inhibitedBy: [JSONValue] = []
            if let suppressed {
                if suppressed.hasPrefix("silenced by ") {
                    silencedBy.append(.string(String(suppressed.dropFirst("silenced by ".count))))
                } else if suppressed == "inhibited" {
                    inhibitedBy.append(.string("inhibited"))
                } else {
                    silencedBy.append(.string(suppressed))
                }
            }
            if suppressed == nil && !active { continue }
            if !silencedBy.isEmpty && !silenced { continue }
            if !inhibitedBy.isEmpty && !inhibited { continue }
            let routed = await pipeline.receivers(of: labels)
            let json = JSONValue.object(
                JSONObject([
                    ("labels", Self.labels(labels)),
                    (
                        "annotations",
                        Self.labels(
                            [
                                ("summary", alert["summary"]?.stringValue ?? ""),
                                ("description", alert["description"]?.stringValue ?? ""),
                            ].filter { !$0.1.isEmpty }
                        )
                    ),
                    (
                        "receivers",
                        .array(
                            (routed.isEmpty ? receivers : routed).map { .object(["name": .string($0)]) }
                        )
                    ),
                    ("fingerprint", .string(alert["fingerprint"]?.stringValue ?? "")),
                    ("startsAt", .string(alert["startsAt"]?.stringValue ?? Timestamp.format(now))),
                    ("updatedAt", .string(Timestamp.format(now))),
                    // As Alertmanager does for an alert without an end: resolve_timeout ahead.
                    ("endsAt", .string(Timestamp.format(now.addingTimeInterval(300)))),
                    ("generatorURL", .string("")),
                    (
                        "status",
                        .object(
                            JSONObject([
                                ("state", .string(suppressed == nil ? "active" : "suppressed")),
                                ("silencedBy", .array(silencedBy)), ("inhibitedBy", .array(inhibitedBy)),
                            ])
                        )
                    ),
                ])
            )
            listed.append(Listed(labels: labels, json: json))
        }
        return listed
    }

    /// Alerts grouped as Alertmanager's `alertGroups`: by receiver and alert name.
    private func groups(at now: Date, _ parameters: [(String, String)]) async throws -> JSONValue {
        var groups: [String: (labels: [(name: String, value: String)], receiver: String, alerts: [JSONValue])] = [:]
        var order: [String] = []
        for alert in try await alerts(at: now, parameters) {
            let name = alert.labels.first?.value ?? ""
            for receiver in alert.json["receivers"]?.arrayValue?.compactMap({ $0["name"]?.stringValue }) ?? [] {
                let key = receiver + "\u{0}" + name
                if groups[key] == nil {
                    order.append(key)
                    groups[key] = ([(name: "alertname", value: name)], receiver, [])
                }
                groups[key]?.alerts.append(alert.json)
            }
        }
        return .array(
            order.compactMap { groups[$0] }.map { group in
                .object(
                    JSONObject([
                        ("labels", Self.labels(group.labels)),
                        ("receiver", .object(["name": .string(group.receiver)])),
                        ("alerts", .array(group.alerts)),
                    ])
                )
            }
        )
    }

    // MARK: Silences

    /// `postableSilence`: matchers (`name`, `value`, `isRegex`, `isEqual`), `startsAt`, `endsAt`,
    /// `createdBy`, `comment`, and `id` to replace an existing silence.
    private func addSilence(_ body: [UInt8], at now: Date) async throws -> Response {
        let document = try JSONValue.parse(body)
        var reader = try JSONObjectReader(document, at: .root)
        guard let items = try reader.array("matchers"), !items.isEmpty else {
            throw JSONShapeError(path: reader.path.appending("matchers"), expected: "at least one matcher")
        }
        var matchers: [LabelMatcher] = []
        for (index, item) in items.enumerated() {
            let path = reader.path.appending("matchers").appending(index)
            var matcherReader = try JSONObjectReader(item, at: path)
            let name = try matcherReader.requiredString("name")
            let value = try matcherReader.requiredString("value")
            let isRegex = try matcherReader.bool("isRegex") ?? false
            let isEqual = try matcherReader.bool("isEqual") ?? true
            try matcherReader.finish(known: ["name", "value", "isRegex", "isEqual"])
            let operation: LabelMatcher.Operation =
                isRegex ? (isEqual ? .matches : .notMatches) : (isEqual ? .equal : .notEqual)
            guard let matcher = LabelMatcher(name: name, operation: operation, value: value) else {
                throw JSONShapeError(
                    path: path,
                    expected: isRegex ? "a label name and a valid regular expression" : "a label name",
                    found: "\"\(name)\""
                )
            }
            matchers.append(matcher)
        }
        func time(_ key: String) throws -> Date? {
            guard let text = try reader.string(key) else { return nil }
            guard let date = Timestamp.parse(text) else {
                throw JSONShapeError(
                    path: reader.path.appending(key),
                    expected: "an RFC 3339 time",
                    found: "\"\(text)\""
                )
            }
            return date
        }
        let startsAt = max(try time("startsAt") ?? now, now)
        guard let endsAt = try time("endsAt") else {
            throw JSONShapeError(path: reader.path.appending("endsAt"), expected: "an RFC 3339 time")
        }
        guard endsAt > startsAt, endsAt.timeIntervalSince(now) <= Silence.maximumDuration.seconds else {
            throw JSONShapeError(
                path: reader.path.appending("endsAt"),
                expected:
                    "an end after the start, at most \(DurationText.format(Silence.maximumDuration)) from now",
                found: "\"\(Timestamp.format(endsAt))\""
            )
        }
        let createdBy = try reader.string("createdBy") ?? "unknown"
        let comment = try reader.string("comment") ?? ""
        let replaces = try reader.string("id").flatMap { $0.isEmpty ? nil : $0 }
        // What a client echoes back from a listed silence; keawatch decides these itself.
        _ = reader.value("status")
        _ = reader.value("updatedAt")
        try reader.finish(known: [
            "id", "matchers", "startsAt", "endsAt", "createdBy", "comment", "status", "updatedAt",
        ])
        if let replaces {
            guard await pipeline.silences(at: now).contains(where: { $0.id == replaces }) else {
                return Self.error(404, "no silence \(replaces) to update")
            }
            _ = try await pipeline.expireSilence(replaces, at: now)
        }
        let silence = Silence(
            id: StatusAPI.newID(),
            matchers: matchers,
            comment: comment,
            createdBy: createdBy,
            startsAt: startsAt,
            endsAt: endsAt
        )
        do {
            try await pipeline.addSilence(silence, at: now)
        } catch let error as SilenceLimitError {
            return Self.error(409, error.description)
        }
        return Response(status: 200, json: .object(["silenceID": .string(silence.id)]))
    }

    static func json(_ silence: Silence, at now: Date) -> JSONValue {
        let state = silence.isActive(at: now) ? "active" : silence.startsAt > now ? "pending" : "expired"
        return .object(
            JSONObject([
                ("id", .string(silence.id)),
                ("status", .object(["state": .string(state)])),
                ("updatedAt", .string(Timestamp.format(silence.startsAt))),
                (
                    "matchers",
                    .array(
                        silence.matchers.map { matcher in
                            .object(
                                JSONObject([
                                    ("name", .string(matcher.name)), ("value", .string(matcher.value)),
                                    (
                                        "isRegex",
                                        .bool(matcher.operation == .matches || matcher.operation == .notMatches)
                                    ),
                                    ("isEqual", .bool(matcher.operation == .equal || matcher.operation == .matches)),
                                ])
                            )
                        }
                    )
                ),
                ("startsAt", .string(Timestamp.format(silence.startsAt))),
                ("endsAt", .string(Timestamp.format(silence.endsAt))),
                ("createdBy", .string(silence.createdBy)),
                ("comment", .string(silence.comment)),
            ])
        )
    }

    // MARK: Helpers

    static func labels(_ pairs: [(name: String, value: String)]) -> JSONValue {
        .object(JSONObject(pairs.map { (key: $0.name, value: JSONValue.string($0.value)) }))
    }

    /// `filter=` matchers (`alertname="X"`, `target=~"server.*"`), as amtool sends them.
    static func filter(_ parameters: [(String, String)]) throws -> [LabelMatcher] {
        try parameters.filter { $0.0 == "filter" }.map { _, text in
            guard let matcher = LabelMatcher(parsing: text) else {
                throw BadParameter(
                    description:
                        "query parameter filter: expected name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\", found \"\(text)\""
                )
            }
            return matcher
        }
    }

    /// The query string's parameters, percent-decoded (`+` is a space).
    static func parameters(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                StatusAPI.percentDecoded(Substring(text.replacing("+", with: " ")))
            }
            return (decoded(parts[0]), parts.count > 1 ? decoded(parts[1]) : "")
        }
    }
}

extension StatusAPI {
    /// The hook from the endpoint's dispatch: paths under `/api/v2/`.
    func alertmanager(method: String, path: String, query: String, body: [UInt8]) async -> Response {
        await AlertmanagerAPI(pipeline: pipeline).handle(method: method, path: path, query: query, body: body)
    }
}

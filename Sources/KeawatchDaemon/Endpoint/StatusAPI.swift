import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import KeawatchStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the endpoint answers, independent of the HTTP server: method, path and body in, status and
/// bytes out.
struct StatusAPI: Sendable {
    struct Response: Sendable {
        var status: Int
        var contentType: String
        var body: [UInt8]
        var headers: [(name: String, value: String)] = []

        init(status: Int, contentType: String, body: [UInt8], headers: [(name: String, value: String)] = []) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.headers = headers
        }

        init(status: Int, error message: String) {
            self.init(status: status, json: .object(["error": .string(message)]))
        }

        init(status: Int, json: JSONValue) {
            self.init(status: status, contentType: "application/json", body: Array((json.serialized + "\n").utf8))
        }
    }

    let pipeline: AlertPipeline
    let metrics: AgentMetrics

    func handle(method: String, path: String, body: [UInt8]) async -> Response {
        let now = Date()
        switch (method, path) {
        case ("GET", "/healthz"):
            let health = await pipeline.health(at: now)
            return Response(
                status: health.healthy ? 200 : 503,
                contentType: "text/plain; charset=utf-8",
                body: Array((health.reason + "\n").utf8)
            )
        case ("GET", "/"):
            return await statusPage(at: now)
        case ("GET", "/metrics"):
            return Response(
                status: 200,
                contentType: "text/plain; version=0.0.4; charset=utf-8",
                body: metrics.render()
            )
        case ("GET", "/api/v1/status"):
            do {
                return Response(status: 200, json: try await pipeline.status(at: now))
            } catch {
                return Response(status: 500, error: "\(error)")
            }
        case ("GET", "/api/v1/silences"):
            return Response(status: 200, json: .array(await pipeline.silences(at: now).map { $0.json(at: now) }))
        case ("POST", "/api/v1/silences"):
            return await addSilence(body, at: now)
        case ("DELETE", _) where path.hasPrefix("/api/v1/silences/"):
            let id = String(path.dropFirst("/api/v1/silences/".count))
            do {
                guard try await pipeline.expireSilence(id, at: now) else {
                    return Response(status: 404, error: "no active silence \(id)")
                }
                return Response(status: 200, json: .object(["expired": .string(id)]))
            } catch {
                return Response(status: 500, error: "\(error)")
            }
        case ("GET", _) where path.hasPrefix("/api/v1/history/"):
            let target = Self.percentDecoded(path.dropFirst("/api/v1/history/".count))
            do {
                let changes = try await pipeline.stateHistory(of: target)
                return Response(
                    status: 200,
                    json: .array(
                        changes.map {
                            .object([
                                "at": .string(Timestamp.format($0.at)),
                                "state": (try? JSONValue.parse(Array($0.summary.utf8))) ?? .string($0.summary),
                            ])
                        }
                    )
                )
            } catch {
                return Response(status: 500, error: "\(error)")
            }
        case (_, "/"), (_, "/healthz"), (_, "/metrics"), (_, "/api/v1/status"), (_, "/api/v1/silences"):
            return Response(status: 405, error: "method \(method) not allowed on \(path)")
        default:
            return Response(status: 404, error: "no such endpoint: \(path)")
        }
    }

    /// `{"matchers": ["pair=a+b", "alertname=~Kea.*"], "duration": "2h" (or "ends_at"), "comment", "created_by"}`.
    private func addSilence(_ body: [UInt8], at now: Date) async -> Response {
        do {
            let document = try JSONValue.parse(body)
            var reader = try JSONObjectReader(document, at: .root)
            let texts = try reader.strings("matchers") ?? []
            guard !texts.isEmpty else {
                throw JSONShapeError(path: reader.path.appending("matchers"), expected: "at least one matcher")
            }
            var matchers: [LabelMatcher] = []
            for (index, text) in texts.enumerated() {
                guard let matcher = LabelMatcher(parsing: text) else {
                    throw JSONShapeError(
                        path: reader.path.appending("matchers").appending(index),
                        expected: "name=value, name!=value, name=~regex or name!~regex",
                        found: "\"\(text)\""
                    )
                }
                matchers.append(matcher)
            }
            let endsAt: Date
            let longest = Silence.maximumDuration
            if let text = try reader.string("ends_at") {
                guard let date = Timestamp.parse(text), date > now, date.timeIntervalSince(now) <= longest.seconds
                else {
                    throw JSONShapeError(
                        path: reader.path.appending("ends_at"),
                        expected: "an RFC 3339 time in the future, at most \(DurationText.format(longest)) from now",
                        found: "\"\(text)\""
                    )
                }
                endsAt = date
            } else {
                let duration = try reader.duration("duration", in: .seconds(1)...longest) ?? .seconds(3600)
                endsAt = now.addingTimeInterval(duration.seconds)
            }
            let comment = try reader.string("comment") ?? ""
            let createdBy = try reader.string("created_by") ?? "unknown"
            try reader.finish(known: ["matchers", "duration", "ends_at", "comment", "created_by"])
            let silence = Silence(
                id: Self.newID(),
                matchers: matchers,
                comment: comment,
                createdBy: createdBy,
                startsAt: now,
                endsAt: endsAt
            )
            try await pipeline.addSilence(silence, at: now)
            return Response(status: 201, json: silence.json(at: now))
        } catch let error as SilenceLimitError {
            return Response(status: 409, error: error.description)
        } catch let error as JSONShapeError {
            return Response(status: 400, error: error.description)
        } catch let error as JSONSyntaxError {
            return Response(status: 400, error: "request body: \(error)")
        } catch {
            return Response(status: 500, error: "\(error)")
        }
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(UInt32.random(in: .min ... .max, using: &generator), radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined(separator: "-")
    }
}

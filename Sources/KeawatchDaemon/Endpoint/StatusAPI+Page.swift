import KeawatchModel
import KeawatchStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StatusAPI {
    /// `GET /`: the status page, from the same document as `/api/v1/status` and the stored state
    /// history of every target. A strict Content-Security-Policy backs up the escaping: the page
    /// loads nothing and runs nothing.
    func statusPage(at now: Date) async -> Response {
        do {
            let status = try await pipeline.status(at: now)
            let names = (status["targets"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            let history = try await pipeline.stateHistories(of: names)
            let page = StatusPage(status: status, history: history, now: now).render()
            return Response(
                status: 200,
                contentType: "text/html; charset=utf-8",
                body: Array(page.utf8),
                headers: [
                    (name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'"),
                    (name: "X-Content-Type-Options", value: "nosniff"),
                    (name: "Referrer-Policy", value: "no-referrer"),
                ]
            )
        } catch {
            return Response(status: 500, error: "\(error)")
        }
    }
}

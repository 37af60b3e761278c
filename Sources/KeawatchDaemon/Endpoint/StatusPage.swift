package import KeawatchModel
package import KeawatchStore

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The page a person opens at 3 a.m. (`GET /`): one server-rendered HTML document, no external
/// assets and no JavaScript, refreshing itself. Every pair with both servers' HA state, role,
/// heartbeat age and unacked clients, and a timeline of its state changes as inline SVG; alerts
/// firing, pending and suppressed with their cause; receivers, the outbox, silences. Rendered from
/// what `/api/v1/status` answers and the stored state history, so the two never disagree. Every
/// string from Kea or the config is escaped; states are told by text and symbol, not colour alone.
package struct StatusPage: Sendable {
    /// The `/api/v1/status` document.
    package var status: JSONValue
    /// State changes per target, newest first (what `/api/v1/history/TARGET` answers).
    package var history: [String: [StateChange]]
    package var now: Date
    /// How far back the timelines reach.
    package var window: Duration = .seconds(3 * 3600)
    /// Seconds between the page's own refreshes.
    package var refresh = 10

    package init(status: JSONValue, history: [String: [StateChange]], now: Date) {
        self.status = status
        self.history = history
        self.now = now
    }

    package func render() -> String {
        var html = ""
        html.reserveCapacity(16_384)
        let healthy = status["healthy"]?.boolValue ?? false
        html += """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="\(refresh)">
            <title>\(healthy ? "" : "(unhealthy) ")keawatch — \(firingCount) firing</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header>
            <h1>keawatch</h1>
            <p id="health" class="\(healthy ? "ok" : "bad")">\(healthy ? "✔ agent healthy" : "✖ agent unhealthy"): \
            \(Self.escape(status["health"]?.stringValue ?? ""))</p>
            <p>As of <time datetime="\(Timestamp.format(now))">\(Timestamp.format(now))</time>; \
            this page refreshes every \(refresh) s.</p>
            </header>
            <main>

            """
        renderAlerts(into: &html)
        renderPairs(into: &html)
        renderReceivers(into: &html)
        renderSilences(into: &html)
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    // MARK: Pairs

    private var targets: [String: JSONValue] {
        var byName: [String: JSONValue] = [:]
        for target in status["targets"]?.arrayValue ?? [] {
            if let name = target["name"]?.stringValue { byName[name] = target }
        }
        return byName
    }

    private func renderPairs(into html: inout String) {
        let targets = self.targets
        let pairs = (status["pairs"]?.arrayValue ?? []).compactMap { pair -> (String, [String])? in
            guard let name = pair["name"]?.stringValue else { return nil }
            return (name, (pair["targets"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        html += "<section id=\"pairs\" aria-labelledby=\"pairs-title\">\n<h2 id=\"pairs-title\">HA pairs</h2>\n"
        if pairs.isEmpty { html += "<p>No HA pair known yet (pairs are learned from the first answers).</p>\n" }
        var shown: Set<String> = []
        for (index, (name, members)) in pairs.enumerated() {
            shown.formUnion(members)
            html += "<article class=\"pair\" data-pair=\"\(Self.escape(name))\" aria-labelledby=\"pair-\(index)\">\n"
            html += "<h3 id=\"pair-\(index)\">\(Self.escape(name))</h3>\n"
            renderServers(members.map { ($0, targets[$0]) }, into: &html)
            renderTimeline(pair: index, members, into: &html)
            html += "</article>\n"
        }
        let others = (status["targets"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            .filter { !shown.contains($0) }
        if !others.isEmpty {
            html += "<article class=\"pair\" aria-labelledby=\"pair-none\">\n"
            html += "<h3 id=\"pair-none\">Servers in no known pair</h3>\n"
            renderServers(others.map { ($0, targets[$0]) }, into: &html)
            html += "</article>\n"
        }
        html += "</section>\n"
    }

    private func renderServers(_ servers: [(name: String, entry: JSONValue?)], into html: inout String) {
        html += """
            <table class="servers">
            <thead><tr><th scope="col">Server</th><th scope="col">Reachable</th><th scope="col">Role</th>\
            <th scope="col">HA state</th><th scope="col">Partner seen as</th><th scope="col">Heartbeat age</th>\
            <th scope="col">Unacked clients</th><th scope="col">Last poll</th></tr></thead>
            <tbody>

            """
        for (name, entry) in servers {
            let reachable = entry?["reachable"]?.boolValue
            let ha = entry?["ha"]?.arrayValue?.first
            let state = reachable == false ? "unreachable" : ha?["local-state"]?.stringValue ?? "unknown"
            html += "<tr data-target=\"\(Self.escape(name))\" data-state=\"\(Self.escape(state))\">"
            html += "<th scope=\"row\">\(Self.escape(name))</th>"
            switch reachable {
            case true?: html += "<td>yes</td>"
            case false?:
                let kind = entry?["error"]?["kind"]?.stringValue ?? ""
                let message = entry?["error"]?["message"]?.stringValue ?? ""
                html += "<td class=\"bad\" title=\"\(Self.escape(message))\">✖ no (\(Self.escape(kind)))</td>"
            case nil: html += "<td>not polled yet</td>"
            }
            html += "<td>\(Self.escape(ha?["local-role"]?.stringValue ?? "–"))</td>"
            html += "<td>\(Self.stateCell(state))</td>"
            let remote = ha?["remote-state"]?.stringValue
            html += "<td>\(remote.map(Self.stateCell) ?? "–")</td>"
            let interrupted = ha?["communication-interrupted"]?.boolValue == true
            let age = ha?["age"]?.intValue.map { "\($0) s" } ?? "–"
            html +=
                "<td\(interrupted ? " class=\"warn\"" : "")>\(age)\(interrupted ? " (⚠ communication interrupted)" : "")</td>"
            html += "<td>\(ha?["unacked-clients"]?.intValue.map(String.init) ?? "–")</td>"
            let at = entry?["at"]?.stringValue
            html += "<td>\(at.map { "<time datetime=\"\(Self.escape($0))\">\(Self.escape($0))</time>" } ?? "–")</td>"
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
    }

    /// One lane per server: a rectangle per state held, labelled where it is wide enough, each with
    /// a `<title>`; the same changes follow as a list, for reading without the picture.
    private func renderTimeline(pair: Int, _ members: [String], into html: inout String) {
        let end = now.timeIntervalSince1970
        // The window reaches back to the oldest change kept (an agent that started a minute ago
        // draws that minute, not a sliver of three hours), at most `window`, at least 2 minutes.
        let oldest = members.compactMap { history[$0]?.map(\.at.timeIntervalSince1970).min() }.min() ?? end
        let span = min(window.seconds, max(120, end - oldest))
        let start = end - span
        let (labelWidth, width, lane) = (110.0, 900.0, 30.0)
        let scale = (width - labelWidth) / (end - start)
        let height = Double(members.count) * lane + 22
        let spanText = DurationText.format(.seconds(Int(span.rounded())))
        let tickStep = [30.0, 60, 120, 300, 600, 900, 1800, 3600].first { span / $0 <= 6 } ?? 3600
        html += "<figure class=\"timeline\">\n"
        html += """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" \
            width="\(Int(width))" height="\(Int(height))" role="img" aria-labelledby="timeline-\(pair)">

            """
        html += "<title id=\"timeline-\(pair)\">HA states of the last \(spanText)</title>\n"
        var changesText: [(Double, String)] = []
        for (row, target) in members.enumerated() {
            let y = Double(row) * lane
            html += "<text x=\"0\" y=\"\(Self.number(y + 19))\" class=\"lane\">\(Self.escape(target))</text>\n"
            for segment in segments(of: target, from: start, to: end) {
                let x = labelWidth + (segment.from - start) * scale
                let w = max(1, (segment.to - segment.from) * scale)
                let duration = DurationText.format(.seconds(Int(segment.to - segment.from)))
                html += """
                    <rect x="\(Self.number(x))" y="\(Self.number(y + 2))" width="\(Self.number(w))" height="\(Int(lane - 6))" \
                    class="\(Self.stateClass(segment.state))" data-state="\(Self.escape(segment.state))">\
                    <title>\(Self.escape(target)): \(Self.escape(segment.state)) for \(duration) from \
                    \(Timestamp.format(Date(timeIntervalSince1970: segment.from)))</title></rect>

                    """
                let label = segment.state
                if w > Double(label.count) * 6.5 + 6 {
                    html += """
                        <text x="\(Self.number(x + 3))" y="\(Self.number(y + 19))" class="seg">\(Self.escape(label))</text>

                        """
                }
                if segment.changed {
                    changesText.append((segment.from, "\(target) → \(label)"))
                }
            }
        }
        // Hour ticks along the bottom.
        let axis = Double(members.count) * lane + 14
        var ago = 0.0
        while ago <= span {
            let x = labelWidth + (span - ago) * scale
            let text = ago == 0 ? "now" : "−" + DurationText.format(.seconds(Int(ago)))
            html +=
                "<text x=\"\(Self.number(min(x, width - 24)))\" y=\"\(Self.number(axis + 6))\" class=\"tick\">\(text)</text>\n"
            ago += tickStep
        }
        html += "</svg>\n"
        html += "<figcaption>State changes in the last \(spanText)"
        if changesText.isEmpty {
            html += ": none.</figcaption>\n"
        } else {
            html += ":</figcaption>\n<ol class=\"changes\">\n"
            for (at, text) in changesText.sorted(by: { $0.0 < $1.0 }).suffix(40) {
                let stamp = Timestamp.format(Date(timeIntervalSince1970: at))
                html += "<li><time datetime=\"\(stamp)\">\(stamp)</time> \(Self.escape(text))</li>\n"
            }
            html += "</ol>\n"
        }
        html += "</figure>\n"
    }

    package struct Segment: Equatable {
        package var state: String
        var from: Double
        var to: Double
        /// Starts with a change inside the window (not carried in from before it).
        var changed: Bool
    }

    /// The states one target held within `[start, end]`, oldest first.
    package func segments(of target: String, from start: Double, to end: Double) -> [Segment] {
        let changes = (history[target] ?? []).sorted { $0.at < $1.at }
        var segments: [Segment] = []
        for (index, change) in changes.enumerated() {
            let from = change.at.timeIntervalSince1970
            let to = index + 1 < changes.count ? changes[index + 1].at.timeIntervalSince1970 : end
            guard to > start, from < end else { continue }
            let state = Self.state(of: change.summary)
            if let last = segments.last, last.state == state {
                segments[segments.count - 1].to = min(to, end)
                continue
            }
            segments.append(Segment(state: state, from: max(from, start), to: min(to, end), changed: from >= start))
        }
        return segments
    }

    /// The local HA state a stored summary says (`unreachable` for a failed poll).
    static func state(of summary: String) -> String {
        guard let value = try? JSONValue.parse(Array(summary.utf8)) else { return "unknown" }
        if value["reachable"]?.boolValue == false { return "unreachable" }
        return value["ha"]?.arrayValue?.first?["local"]?.stringValue ?? "no-ha"
    }

    // MARK: Alerts

    private var firingCount: Int {
        (status["alerts"]?.arrayValue ?? []).filter {
            $0["state"]?.stringValue == "firing" && $0["suppressed"] == nil
        }.count
    }

    private func renderAlerts(into html: inout String) {
        let alerts = status["alerts"]?.arrayValue ?? []
        func rank(_ alert: JSONValue) -> Int {
            alert["state"]?.stringValue == "pending" ? 2 : alert["suppressed"] == nil ? 0 : 1
        }
        html += "<section id=\"alerts\" aria-labelledby=\"alerts-title\">\n<h2 id=\"alerts-title\">Alerts</h2>\n"
        guard !alerts.isEmpty else {
            html += "<p class=\"ok\">✔ No alert is firing or pending.</p>\n</section>\n"
            return
        }
        html += """
            <table class="alerts">
            <thead><tr><th scope="col">State</th><th scope="col">Severity</th><th scope="col">Alert</th>\
            <th scope="col">About</th><th scope="col">Since</th><th scope="col">Cause</th></tr></thead>
            <tbody>

            """
        for alert in alerts.enumerated().sorted(by: { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) })
            .map(\.element)
        {
            let rule = alert["rule"]?.stringValue ?? ""
            let severity = alert["severity"]?.stringValue ?? ""
            let labels = (alert["labels"]?.arrayValue ?? []).compactMap { pair -> (String, String)? in
                guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue,
                    let value = items[1].stringValue
                else { return nil }
                return (name, value)
            }
            let state: String
            let cause: String
            let since: String
            if alert["state"]?.stringValue == "pending" {
                state = "pending"
                cause = "condition holds; waiting for its for: to pass"
                since = alert["since"]?.stringValue ?? ""
            } else if let reason = alert["suppressed"]?.stringValue {
                state = "suppressed"
                cause = (alert["summary"]?.stringValue ?? "") + " — not sent: " + reason
                since = alert["startsAt"]?.stringValue ?? ""
            } else {
                state = "firing"
                cause = alert["summary"]?.stringValue ?? ""
                since = alert["startsAt"]?.stringValue ?? ""
            }
            let about =
                labels.filter { $0.0 != "severity" }.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
            let symbol = state == "firing" ? "●" : state == "pending" ? "○" : "◌"
            let shownAbout = about.isEmpty ? alert["subject"]?.stringValue ?? "" : about
            html += "<tr class=\"alert \(state)\" data-state=\"\(state)\" data-rule=\"\(Self.escape(rule))\" "
            html += "data-about=\"\(Self.escape(shownAbout))\">"
            html +=
                "<td>\(symbol) \(state)</td><td class=\"sev-\(Self.escape(severity))\">\(Self.escape(severity))</td>"
            html += "<th scope=\"row\">\(Self.escape(rule))</th>"
            html += "<td>\(Self.escape(shownAbout))</td>"
            html += "<td><time datetime=\"\(Self.escape(since))\">\(Self.escape(since))</time></td>"
            html += "<td>\(Self.escape(cause))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"
    }

    // MARK: Receivers, outbox, silences

    private func renderReceivers(into html: inout String) {
        let outbox = status["outbox"]
        let dead = status["dead_letters"]?.arrayValue?.count ?? 0
        let depth = outbox?["depth"]?.intValue ?? 0
        let oldest = outbox?["oldest_age_seconds"]?.numberValue
        html += "<section id=\"delivery\" aria-labelledby=\"delivery-title\">\n"
        html += "<h2 id=\"delivery-title\">Receivers and outbox</h2>\n"
        html += "<p id=\"outbox\">Outbox: <strong>\(depth)</strong> waiting"
        if let oldest { html += ", the oldest for \(DurationText.format(.seconds(Int(oldest))))" }
        html += "; <strong>\(dead)</strong> dead-lettered.</p>\n"
        let receivers = status["receivers"]?.arrayValue ?? []
        guard !receivers.isEmpty else {
            html += "<p>No receiver is configured: alerts are only shown here and in the API.</p>\n</section>\n"
            return
        }
        html += """
            <table class="receivers">
            <thead><tr><th scope="col">Receiver</th><th scope="col">Type</th><th scope="col">Delivers to</th>\
            <th scope="col">Last error</th></tr></thead>
            <tbody>

            """
        for receiver in receivers {
            let error = receiver["last_error"]?.stringValue
            html += "<tr data-receiver=\"\(Self.escape(receiver["name"]?.stringValue ?? ""))\">"
            html += "<th scope=\"row\">\(Self.escape(receiver["name"]?.stringValue ?? ""))</th>"
            html += "<td>\(Self.escape(receiver["type"]?.stringValue ?? ""))</td>"
            html += "<td>\(Self.escape(receiver["destination"]?.stringValue ?? ""))</td>"
            html += error.map { "<td class=\"bad\">✖ \(Self.escape($0))</td>" } ?? "<td>none</td>"
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"
    }

    private func renderSilences(into html: inout String) {
        let silences = (status["silences"]?.arrayValue ?? []).filter { $0["active"]?.boolValue == true }
        html += "<section id=\"silences\" aria-labelledby=\"silences-title\">\n"
        html += "<h2 id=\"silences-title\">Silences</h2>\n"
        guard !silences.isEmpty else {
            html += "<p>No active silence.</p>\n</section>\n"
            return
        }
        html += """
            <table class="silences">
            <thead><tr><th scope="col">Matchers</th><th scope="col">Until</th><th scope="col">By</th>\
            <th scope="col">Comment</th><th scope="col">ID</th></tr></thead>
            <tbody>

            """
        for silence in silences {
            let matchers = (silence["matchers"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
            let until = silence["ends_at"]?.stringValue ?? ""
            html += "<tr><td><code>\(Self.escape(matchers))</code></td>"
            html += "<td><time datetime=\"\(Self.escape(until))\">\(Self.escape(until))</time></td>"
            html += "<td>\(Self.escape(silence["created_by"]?.stringValue ?? ""))</td>"
            html += "<td>\(Self.escape(silence["comment"]?.stringValue ?? ""))</td>"
            html += "<td><code>\(Self.escape(silence["id"]?.stringValue ?? ""))</code></td></tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"
    }

    // MARK: Helpers

    /// A state as text with a symbol (✔ operational, ⏳ transitional, ⚠ degraded, ⚙ maintenance, ✖ broken).
    static func stateCell(_ state: String) -> String {
        let symbol =
            switch stateClass(state) {
            case "st-ok": "✔"
            case "st-transit": "⏳"
            case "st-degraded": "⚠"
            case "st-maint": "⚙"
            default: "✖"
            }
        return "<span class=\"\(stateClass(state))\">\(symbol) \(escape(state))</span>"
    }

    static func stateClass(_ state: String) -> String {
        switch state {
        case "load-balancing", "hot-standby", "backup", "passive-backup": "st-ok"
        case "waiting", "syncing", "ready": "st-transit"
        case "partner-down", "communication-recovery": "st-degraded"
        case "in-maintenance", "partner-in-maintenance": "st-maint"
        default: "st-bad"
        }
    }

    /// Text for HTML content and attribute values.
    package static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// One decimal, enough for SVG coordinates.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(abs(tenths % 10))"
    }

    static let style = """
        body{font:15px/1.4 system-ui,sans-serif;margin:0 1.5rem 2rem;color:#1b1b1b;background:#fafafa}
        h1{margin:.6rem 0 0}h2{border-bottom:1px solid #ccc;margin-top:1.6rem}
        table{border-collapse:collapse;margin:.4rem 0;background:#fff}
        th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
        thead th{background:#eee}.ok{color:#176b2c}.bad{color:#a40e0e;font-weight:600}.warn{color:#8a5300}
        .st-ok{color:#176b2c}.st-transit{color:#1d4f91}.st-degraded{color:#8a5300;font-weight:600}
        .st-bad{color:#a40e0e;font-weight:700}.st-maint{color:#555}
        tr.firing td:first-child{font-weight:700;color:#a40e0e}tr.suppressed{color:#555}
        svg rect.st-ok{fill:#9fd4a8}svg rect.st-transit{fill:#a9c6ee}svg rect.st-degraded{fill:#f2c879}
        svg rect.st-bad{fill:#ee9a9a}svg rect.st-maint{fill:#ccc}svg rect{stroke:#fff;stroke-width:.5}
        svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}svg text.tick{font-size:10px;fill:#555}
        figure{margin:.6rem 0}figcaption{font-size:.9rem;color:#444}ol.changes{font-size:.85rem;margin:.2rem 0}
        """
}

// Notification benchmarks (driven by Benchmarks/notify.py):
//   keawatch-notify-benchmark webhook URL COUNT        posts COUNT webhook bodies, 100 in flight
//   keawatch-notify-benchmark mail SMTP_URL COUNT CA   submits COUNT mails (STARTTLS required + AUTH)
//   keawatch-notify-benchmark outbox DIRECTORY         times outbox commits (10 notifications + checkpoint)
//   keawatch-notify-benchmark silences                 router flushes with 1,000 regex silences and 1,000 alerts
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import KeawatchStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

func notification(_ number: Int, receiver: String = "bench") -> AlertNotification {
    let alerts = (0..<2).map { index in
        Alert(
            rule: "KeaHAPartnerDown",
            severity: .critical,
            labels: [("severity", "critical"), ("target", "kea-\(number)-\(index)")],
            summary: "kea-\(number)-\(index) has been in partner-down for 2m: it serves alone",
            description: "The server considers its partner down and serves all clients alone.",
            fingerprint: "fp-\(number)-\(index)",
            episode: "fp-\(number)-\(index)-1762975075000",
            startsAt: Date(timeIntervalSince1970: 1_762_975_075)
        )
    }
    return AlertNotification(
        receiver: receiver,
        groupKey: "g\(number)",
        groupLabels: [("alertname", "KeaHAPartnerDown")],
        items: alerts.map { .init(alert: $0, status: .firing) },
        idempotencyKey: "bench-\(number)"
    )
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let arguments = CommandLine.arguments
let clock = ContinuousClock()
switch arguments.count > 1 ? arguments[1] : "" {
case "webhook":
    let url = arguments[2]
    let count = Int(arguments[3]) ?? 1000
    let sender = WebhookSender(
        transport: CurlTransport(maxConcurrentTransfers: 100, threads: 2),
        settings: .init(url: url)
    )
    let delivered = await withTaskGroup(of: Bool.self) { group in
        for number in 0..<count {
            group.addTask { if case .delivered = await sender.send(notification(number)) { true } else { false } }
        }
        var delivered = 0
        for await ok in group where ok { delivered += 1 }
        return delivered
    }
    print("delivered \(delivered)")
case "mail":
    let count = Int(arguments[3]) ?? 100
    let settings = EmailSettings(
        smtpURL: arguments[2],
        startTLS: .required,
        from: "keawatch@example.test",
        to: ["oncall@example.test"],
        credentials: Credentials(username: "keawatch", password: Secret("bench-pw")),
        tls: TLSOptions(caFile: arguments[4])
    )
    let receiver = EmailReceiver(transport: CurlTransport(maxConcurrentTransfers: 10), settings: settings)
    let started = clock.now
    let delivered = await withTaskGroup(of: Bool.self) { group in
        for number in 0..<count {
            group.addTask { if case .delivered = await receiver.deliver(notification(number)) { true } else { false } }
        }
        var delivered = 0
        for await ok in group where ok { delivered += 1 }
        return delivered
    }
    print("mail \(count) delivered \(delivered) in \(milliseconds(clock.now - started)) ms")
case "outbox":
    let store = try SQLiteStore(path: arguments[2] + "/bench-outbox.sqlite")
    for (label, size) in [("4 KiB", 4 << 10), ("64 KiB", 64 << 10)] {
        let checkpoint = [UInt8](repeating: 42, count: size)
        var times: [Duration] = []
        for batch in 0..<300 {
            let notifications = (0..<10).map { notification(batch * 10 + $0 + size) }
            let started = clock.now
            try await store.enqueue(notifications, at: Date(), checkpoint: checkpoint)
            times.append(clock.now - started)
        }
        let sorted = times.sorted()
        print(
            "commit of 10 notifications + \(label) checkpoint: median \(milliseconds(sorted[sorted.count / 2])) ms, "
                + "p99 \(milliseconds(sorted[sorted.count * 99 / 100])) ms"
        )
    }
case "silences":
    // The cap's worst case: 1,000 regex silences, each matching one of 1,000 firing alerts, so
    // every alert is muted and re-checked at every flush. Reference: the same checks without the
    // router's per-alert memo (what each flush cost before), in the same run.
    let now = Date(timeIntervalSince1970: 1_762_975_075)
    let alerts = (0..<1000).map { notification($0).items[0].alert }.enumerated().map { index, alert in
        var alert = alert
        alert.labels = [("severity", "critical"), ("target", "kea-\(index)")]
        alert.fingerprint = "fp-\(index)"
        return alert
    }
    func silence(_ id: String, target pattern: String) -> Silence {
        Silence(
            id: id,
            matchers: [LabelMatcher(name: "target", operation: .matches, value: pattern)!],
            comment: "",
            createdBy: "bench",
            startsAt: now,
            endsAt: now.addingTimeInterval(3600)
        )
    }
    let silences = (0..<1000).map { silence("s\($0)", target: "kea-\($0)|none-[0-9]+") }
    var router = Router(routes: [Route(receivers: ["bench"])], sendResolved: ["bench"])
    router.restore(silences: silences)
    router.ingest(alerts.map { Decision(kind: .fire, at: now, alert: $0) }, at: now)
    var flushes: [Duration] = []
    for round in 0..<11 {
        let started = clock.now
        _ = router.flush(at: now.addingTimeInterval(Double(round)))
        flushes.append(clock.now - started)
    }
    // One more silence (what a POST does): only it is checked against the remembered alerts.
    router.upsert(silence("late", target: "late-[0-9]+"))
    let addedAt = clock.now
    _ = router.flush(at: now.addingTimeInterval(20))
    let afterAdding = clock.now - addedAt
    var scans: [Duration] = []
    for _ in 0..<3 {
        let started = clock.now
        var muted = 0
        for alert in alerts {
            let labels = alert.labels
            if silences.contains(where: { $0.isActive(at: now) && $0.matches(labels) }) { muted += 1 }
        }
        precondition(muted == alerts.count)
        scans.append(clock.now - started)
    }
    let steady = flushes.dropFirst().sorted()[5]
    let reference = scans.sorted()[1]
    print(
        "flush with 1,000 regex silences x 1,000 muted alerts: first \(milliseconds(flushes[0])) ms, "
            + "then median \(milliseconds(steady)) ms, after one more silence \(milliseconds(afterAdding)) ms; "
            + "reference scan \(milliseconds(reference)) ms "
            + "(the reference takes \(Int(milliseconds(reference) / milliseconds(steady)))x as long)"
    )
default:
    print(
        "usage: keawatch-notify-benchmark webhook URL COUNT | mail SMTP_URL COUNT CA | outbox DIRECTORY | silences"
    )
}

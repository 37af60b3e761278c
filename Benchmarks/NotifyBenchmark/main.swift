// Notification benchmarks (driven by Benchmarks/notify.py):
//   keawatch-notify-benchmark webhook URL COUNT        posts COUNT webhook bodies, 100 in flight
//   keawatch-notify-benchmark mail SMTP_URL COUNT CA   submits COUNT mails (STARTTLS required + AUTH)
//   keawatch-notify-benchmark outbox DIRECTORY         times outbox commits (10 notifications + checkpoint)
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
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
default:
    print("usage: keawatch-notify-benchmark webhook URL COUNT | mail SMTP_URL COUNT CA | outbox DIRECTORY")
}

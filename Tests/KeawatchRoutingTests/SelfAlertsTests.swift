import Foundation
import KeawatchModel
import KeawatchRouting
import Testing

/// The agent's alerts about itself: blind (no target answers) and mute (the outbox is stuck).
@Suite struct SelfAlertsTests {
    static let start = Date(timeIntervalSince1970: 1_762_975_000)

    @Test func cannotPollFiresAfterTheGraceAndResolvesOnTheNextAnswer() {
        var alerts = SelfAlerts(pollingFailingFor: .seconds(120), outboxStuckFor: .seconds(600))
        #expect(
            alerts.evaluate(lastSuccess: Self.start, oldestQueued: nil, at: Self.start.addingTimeInterval(119)).isEmpty
        )
        let fired = alerts.evaluate(lastSuccess: Self.start, oldestQueued: nil, at: Self.start.addingTimeInterval(120))
        #expect(fired.map(\.kind) == [.fire])
        #expect(fired.first?.alert.rule == SelfAlerts.cannotPoll)
        #expect(fired.first?.alert.label("source") == "keawatch")
        #expect(
            alerts.evaluate(lastSuccess: Self.start, oldestQueued: nil, at: Self.start.addingTimeInterval(200)).isEmpty
        )
        let answered = Self.start.addingTimeInterval(210)
        let resolved = alerts.evaluate(lastSuccess: answered, oldestQueued: nil, at: answered)
        #expect(resolved.map(\.kind) == [.resolve])
        #expect(resolved.first?.alert.episode == fired.first?.alert.episode)
    }

    @Test func outboxStuckFiresWhileANotificationWaitsTooLong() {
        var alerts = SelfAlerts(pollingFailingFor: .seconds(120), outboxStuckFor: .seconds(600))
        let now = Self.start.addingTimeInterval(700)
        #expect(alerts.evaluate(lastSuccess: now, oldestQueued: .seconds(599), at: now).isEmpty)
        #expect(
            alerts.evaluate(lastSuccess: now, oldestQueued: .seconds(600), at: now).map(\.alert.rule) == [
                SelfAlerts.outboxStuck
            ]
        )
        #expect(alerts.evaluate(lastSuccess: now, oldestQueued: nil, at: now).map(\.kind) == [.resolve])
    }
}

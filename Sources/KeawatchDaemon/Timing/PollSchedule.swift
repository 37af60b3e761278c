/// When one target's poller polls: first after `first` (a random share of the interval, so a
/// thousand targets do not all fire at once), then every `interval`; a poll slower than the
/// interval skips the slots it missed instead of overlapping itself. Pure: instants in, instants out.
struct PollSchedule<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    let interval: Duration
    /// When the next poll is due.
    private(set) var next: Instant

    init(start: Instant, first: Duration, interval: Duration) {
        self.interval = interval
        next = start.advanced(by: first)
    }

    /// After a poll that ended at `now`: the next slot that has not passed yet.
    mutating func advance(after now: Instant) {
        next = next.advanced(by: interval)
        while next < now { next = next.advanced(by: interval) }
    }
}

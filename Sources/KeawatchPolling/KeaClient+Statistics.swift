package import KeawatchModel

extension KeaClient {
    /// One `statistic-get-all` poll, with how long it took. Never throws: an unreachable server, a
    /// Kea error or a malformed answer is a failure observation.
    package func pollStatistics(_ target: KeaTarget) async -> (observation: StatisticsObservation, duration: Duration) {
        let clock = ContinuousClock()
        let started = clock.now
        // Only the lease counters' newest samples are read: a busy server's answer is mostly the rest.
        let answer = await send(.statisticGetAll, to: target, pruning: KeaStatistics.pruning)
        let duration = clock.now - started
        let outcome: StatisticsObservation.Outcome
        switch answer {
        case .failure(let failure):
            outcome = .failure(failure)
        case .success(let (body, _)):
            switch KeaStatistics.decode(response: body) {
            case .success(let statistics): outcome = .statistics(statistics)
            case .failure(let failure): outcome = .failure(failure)
            }
        }
        return (StatisticsObservation(target: target.name, at: currentDate(), outcome: outcome), duration)
    }
}

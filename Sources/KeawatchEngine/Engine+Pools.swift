import KeawatchModel
import KeawatchRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Engine {
    /// HA states in which a server holds every lease of the pair and keeps its counters current.
    /// (While waiting, syncing or ready it is still receiving the partner's leases.)
    static let holdsAllLeases: Set<String> = [
        "load-balancing", "hot-standby", "partner-down", "partner-in-maintenance", "communication-recovery",
    ]
    /// A primary that started this much later than its partner has synced its leases from it.
    static let restartMargin = 10.0

    /// Keeps the target's latest statistics (a failed poll leaves none: the partner's stand in).
    func ingest(_ observation: StatisticsObservation, into state: inout EngineState) {
        let id = targetID(observation.target, state: &state)
        let at = observation.at.timeIntervalSince1970
        if let previous = state.statistics[id], previous.at > at { return }  // out of order
        switch observation.outcome {
        case .statistics(let statistics):
            state.statistics[id] = TargetStatistics(at: at, subnets: statistics.subnets, failure: nil)
        case .failure(let failure):
            state.statistics[id] = TargetStatistics(at: at, subnets: [], failure: failure)
        }
    }

    /// Each pair's counters from the server that holds its leases: the primary when it is
    /// operational (and did not start well after its partner), else the partner when it is; none
    /// while neither is. Servers in no pair stand for themselves.
    func poolViews(_ state: EngineState) -> [PoolView] {
        var views: [PoolView] = []
        var paired: Set<Int> = []
        for pair in state.pairs {
            paired.formUnion([pair.first.targetID, pair.second.targetID])
            if let view = poolView(pair, state) { views.append(view) }
        }
        for (id, statistics) in state.statistics.sorted(by: { $0.key < $1.key })
        where !paired.contains(id) && statistics.failure == nil && state.histories[id].latest?.isReachable == true {
            views.append(
                PoolView(
                    owner: state.targetNames[id],
                    server: state.targetNames[id],
                    source: .standalone,
                    at: Date(timeIntervalSince1970: statistics.at),
                    subnets: statistics.subnets
                )
            )
        }
        return views
    }

    private func poolView(_ pair: HAPair, _ state: EngineState) -> PoolView? {
        struct Candidate {
            var end: HAPair.End
            var role: String
            var usable: Bool
            var uptime: Int32
            var statistics: TargetStatistics?
        }
        func candidate(_ end: HAPair.End) -> Candidate {
            let sample = state.histories[end.targetID].latest
            let relationship = sample?.relationship(end.relationship)
            let role = relationship.map { state.vocabulary.name($0.localRole) } ?? ""
            let haState = relationship.map { state.vocabulary.name($0.localState) } ?? ""
            let statistics = state.statistics[end.targetID]
            let usable =
                sample?.isReachable == true && Self.holdsAllLeases.contains(haState) && statistics != nil
                && statistics?.failure == nil
            return Candidate(end: end, role: role, usable: usable, uptime: sample?.uptime ?? -1, statistics: statistics)
        }
        let first = candidate(pair.first)
        let second = candidate(pair.second)
        let (primary, partner) = second.role == "primary" && first.role != "primary" ? (second, first) : (first, second)
        let chosen: (Candidate, PoolView.Source)
        if primary.usable && partner.usable && primary.uptime >= 0
            && Double(primary.uptime) + Self.restartMargin < Double(partner.uptime)
        {
            chosen = (partner, .partnerLongerUp)
        } else if primary.usable {
            chosen = (primary, .primary)
        } else if partner.usable {
            chosen = (partner, .partner)
        } else {
            return nil
        }
        guard let statistics = chosen.0.statistics else { return nil }
        return PoolView(
            owner: pair.name,
            server: chosen.0.end.target,
            source: chosen.1,
            at: Date(timeIntervalSince1970: statistics.at),
            subnets: statistics.subnets
        )
    }

    /// Appends each pool view's newest counters to its subnet's history (once per sample), and
    /// notes per view its subnets' subject ids and whether it changed (new counters or another
    /// source server) at this evaluation: subnet rules look again only at those.
    func recordSubnetHistories(_ state: inout EngineState) {
        state.poolTracks.removeAll(keepingCapacity: true)
        var appended = false
        for view in state.pools {
            let at = view.at.timeIntervalSince1970
            // The usual case, every tick: this pair's counters are the ones already recorded.
            if let known = state.poolTrackByOwner[view.owner], known.at == at, known.server == view.server,
                known.subjects.count == view.subnets.count
            {
                state.poolTracks.append(PoolTrack(subjects: known.subjects, changed: false))
                continue
            }
            var subjects: [Int] = []
            subjects.reserveCapacity(view.subnets.count)
            for subnet in view.subnets {
                let id = state.subnetID(of: view.owner, subnet: subnet.subnetID)
                subjects.append(id)
                guard let assigned = subnet.assigned, at > state.subnetHistories[id]?.lastAt ?? -.infinity else {
                    continue
                }
                state.subnetHistories[id, default: SubnetHistory()].append(
                    .init(at: at, assigned: assigned, declined: subnet.declined ?? 0),
                    total: subnet.total
                )
                appended = true
            }
            state.poolTrackByOwner[view.owner] = (view.server, at, subjects)
            state.poolTracks.append(PoolTrack(subjects: subjects, changed: true))
        }
        if appended {
            state.exhaustionForecasts = state.subnetHistories.sorted { $0.key < $1.key }.compactMap { id, history in
                history.secondsToFull.map { (state.subnetSubjects[id].owner, state.subnetSubjects[id].subnet, $0) }
            }
        }
    }

    /// A subnet rule, for every subnet of every pool view.
    func evaluateSubnets(
        _ rule: CompiledRule,
        _ expression: CompiledExpression,
        index ruleIndex: Int,
        state: inout EngineState,
        at now: Double,
        decisions: inout [Decision]
    ) {
        let views = state.pools
        let tracks = state.poolTracks
        for (position, view) in views.enumerated() where position < tracks.count {
            let track = tracks[position]
            for (index, subnet) in view.subnets.enumerated() where index < track.subjects.count {
                let id = track.subjects[index]
                let key = AlertKey(rule: ruleIndex, subject: .subnet(id))
                // A subnet whose counters did not change keeps its condition: only its alert's
                // timers move (and, at least every `subnetRecheck`, a window such as the hour of
                // declined growth).
                guard track.changed || state.subnetRecheckDue || state.mayHaveAlert(key) else { continue }
                let history = state.subnetHistories[id]
                let read = { (accessor: RuleFieldAccessor) in accessor.read(subnet: subnet, history: history, at: now) }
                let condition = expression.evaluate(reading: read)
                let announcements = advance(key, condition: condition, rule: rule, state: &state, at: now)
                guard !announcements.isEmpty else { continue }
                var context = Self.subnetContext(subnet, view: view)
                context["declined_growth"] = describe(read(RuleFieldAccessor(field: .subnetDeclinedGrowth)), state)
                context["fills_in"] = history?.secondsToFull.map { Duration.seconds($0).spoken } ?? "-"
                if let field = rule.valueField {
                    context["value"] = describe(read(RuleFieldAccessor(field: field.field)), state)
                }
                apply(
                    announcements,
                    key: key,
                    rule: rule,
                    state: &state,
                    at: now,
                    context: context,
                    decisions: &decisions
                )
            }
        }
    }

    /// What a subnet alert's texts can show: `{{pair}}`, `{{subnet}}`, `{{server}}`, the counters,
    /// and `{{utilization}}` as a percentage.
    static func subnetContext(_ subnet: SubnetStatistics, view: PoolView) -> [String: String] {
        func count(_ value: Double?) -> String {
            guard let value else { return "-" }
            return value < 9e15 ? String(Int64(value)) : String(value)
        }
        var context = [
            "pair": view.owner, "target": view.server, "server": view.server, "subnet": "\(subnet.subnetID)",
            "total": count(subnet.total), "assigned": count(subnet.assigned), "declined": count(subnet.declined),
            "source": view.source.rawValue,
        ]
        if let total = subnet.total, let assigned = subnet.assigned {
            context["free"] = count(max(0, total - assigned))
        }
        context["utilization"] = subnet.utilization.map { Self.percent($0) } ?? "-"
        context["pd_utilization"] = subnet.prefixUtilization.map { Self.percent($0) } ?? "-"
        // The fullest class-restricted pool (a half of a split pool): `{{pool}}`, `{{pool_class}}`, …
        if let pool = subnet.fullestClassPool {
            context["pool"] = pool.range ?? "pool[\(pool.index)]"
            context["pool_class"] = pool.clientClass ?? "-"
            context["pool_total"] = count(pool.total)
            context["pool_assigned"] = count(pool.assigned)
            context["pool_free"] =
                pool.total.flatMap { total in pool.assigned.map { count(max(0, total - $0)) } } ?? "-"
            context["pool_utilization"] = pool.utilization.map { Self.percent($0) } ?? "-"
        }
        if let addresses = subnet.declinedAddresses {
            let shown = addresses.prefix(10).joined(separator: ", ")
            context["declined_addresses"] = addresses.count > 10 ? shown + " and \(addresses.count - 10) more" : shown
        } else {
            context["declined_addresses"] = "(unknown: the lease_cmds hook is not loaded)"
        }
        return context
    }

    static func percent(_ ratio: Double) -> String {
        let tenths = (ratio * 1000).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int64(tenths / 10))%" : "\(tenths / 10)%"
    }
}

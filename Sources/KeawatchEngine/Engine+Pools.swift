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

    /// Appends each pool view's newest counters to its subnet's history (once per sample).
    func recordSubnetHistories(_ state: inout EngineState) {
        for view in state.pools {
            let at = view.at.timeIntervalSince1970
            // The usual case, every tick: this pair's counters are the ones already recorded.
            guard state.poolViewTimes.updateValue(at, forKey: view.owner) != at else { continue }
            for subnet in view.subnets {
                guard let assigned = subnet.assigned else { continue }
                let id = state.subnetID(of: view.owner, subnet: subnet.subnetID)
                guard at > state.subnetHistories[id]?.lastAt ?? -.infinity else { continue }
                state.subnetHistories[id, default: SubnetHistory()].append(
                    .init(at: at, assigned: assigned, declined: subnet.declined ?? 0),
                    total: subnet.total
                )
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
        for view in views {
            for subnet in view.subnets {
                let key = AlertKey(
                    rule: ruleIndex,
                    subject: .subnet(state.subnetID(of: view.owner, subnet: subnet.subnetID))
                )
                guard case .subnet(let id) = key.subject else { continue }
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

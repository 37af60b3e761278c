extension Engine {
    /// Declared pairs first; then relationships on two different targets of one service (`dhcp4`,
    /// `dhcp6`) whose names (scopes, server names) overlap and whose roles differ. Ambiguous matches
    /// are not guessed: declare those.
    func updatePairs(_ state: inout EngineState) {
        state.pairsNeedUpdate = false
        var pairs: [HAPair] = []
        var taken: Set<String> = []
        for declared in declaredPairs where declared.targets.count == 2 {
            let (a, b) = (declared.targets[0], declared.targets[1])
            guard let idA = state.targetIDs[a], let idB = state.targetIDs[b] else { continue }  // not seen yet
            pairs.append(
                HAPair(
                    id: state.pairID(declared.name),
                    name: declared.name,
                    first: .init(target: a, targetID: idA, relationship: 0),
                    second: .init(target: b, targetID: idB, relationship: 0),
                    declared: true
                )
            )
            taken.insert("\(a)#0")
            taken.insert("\(b)#0")
        }
        struct End {
            var id: Int
            var target: String
            var index: Int
            var names: Set<String>
            var role: String
            var service: String
        }
        var ends: [End] = []
        for (id, target) in state.targetNames.enumerated() {
            let history = state.histories[id]
            for (index, names) in history.relationshipNames.enumerated()
            where !names.isEmpty && !taken.contains("\(target)#\(index)") {
                ends.append(
                    End(
                        id: id,
                        target: target,
                        index: index,
                        names: names,
                        role: history.relationshipRoles[index],
                        service: services[target] ?? "dhcp4"
                    )
                )
            }
        }
        // Keyed by service and name: a v4 `server1` and a v6 `server1` are not the same peer.
        var byName: [String: [Int]] = [:]
        for (position, end) in ends.enumerated() {
            for name in end.names { byName[end.service + " " + name, default: []].append(position) }
        }
        var paired: Set<Int> = []
        for (position, end) in ends.enumerated() where !paired.contains(position) {
            var candidates = Set(end.names.flatMap { byName[end.service + " " + $0] ?? [] })
            candidates.remove(position)
            let matches = candidates.filter {
                ends[$0].target != end.target && ends[$0].role != end.role && !paired.contains($0)
            }
            // Exactly one partner, and that partner sees exactly this one: no guessing.
            guard matches.count == 1, let other = matches.first else { continue }
            var back = Set(ends[other].names.flatMap { byName[ends[other].service + " " + $0] ?? [] })
            back.remove(other)
            guard back.filter({ ends[$0].target != ends[other].target && ends[$0].role != ends[other].role }).count == 1
            else {
                continue
            }
            paired.formUnion([position, other])
            let (a, b) = end.target < ends[other].target ? (end, ends[other]) : (ends[other], end)
            let name = "\(a.target)+\(b.target)"
            pairs.append(
                HAPair(
                    id: state.pairID(name),
                    name: name,
                    first: .init(target: a.target, targetID: a.id, relationship: a.index),
                    second: .init(target: b.target, targetID: b.id, relationship: b.index),
                    declared: false
                )
            )
        }
        state.pairs = pairs.sorted { $0.name < $1.name }
        state.pairOfEnd = [:]
        for pair in state.pairs {
            for end in [pair.first, pair.second] {
                state.pairOfEnd[.init(target: end.targetID, relationship: end.relationship)] = pair.id
            }
        }
    }
}

extension KeaStatistics {
    /// Interprets a `statistic-get-all` response. Every statistic is a list of `[value, timestamp]`
    /// samples, newest first; only the per-subnet (and per-pool) lease counters are kept. A counter
    /// that is negative or not a number is a problem noted in `problems`, never a failed poll: the
    /// rest of the answer is still good.
    package static func decode(response: JSONValue) -> Result<KeaStatistics, PollFailure> {
        switch KeaAnswer.arguments(of: response) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let (arguments, path)):
            return .success(decode(arguments: arguments, at: path))
        }
    }

    /// What decoding reads of a `statistic-get-all` answer: `result`, `text`, `arguments`, the lease
    /// counters among them and each counter's newest sample's value. Parsing with this skips the
    /// rest (other statistics, older samples, timestamps: most of a busy server's answer).
    package static let pruning = JSONPruning(maxArrayElements: 1) { key in
        key == "result" || key == "text" || key == "arguments" || StatisticName(key) != nil
    }

    static func decode(arguments: JSONValue, at path: JSONPath) -> KeaStatistics {
        guard let members = arguments.objectValue else { return KeaStatistics() }
        var subnets: [Int: SubnetStatistics] = [:]
        var problems: [String] = []
        for (name, value) in members {
            guard let key = StatisticName(name) else { continue }
            var subnet = subnets[key.subnet] ?? SubnetStatistics(subnetID: key.subnet)
            defer { subnets[key.subnet] = subnet }
            let number: Double
            switch newest(value) {
            case .success(let found):
                number = found
            case .failure(let found):
                problems.append(
                    "\(path.appending(name)): expected a non-negative number as the newest sample, found \(found)"
                )
                continue
            }
            if let pool = key.pool {
                var entry = subnet.pools.first { $0.index == pool } ?? PoolStatistics(index: pool)
                switch key.counter {
                case "total-addresses", "total-nas": entry.total = number
                case "assigned-addresses", "assigned-nas": entry.assigned = number
                case "declined-addresses": entry.declined = number
                default: break
                }
                subnet.pools.removeAll { $0.index == pool }
                subnet.pools.append(entry)
                subnet.pools.sort { $0.index < $1.index }
            } else {
                switch key.counter {
                case "total-addresses", "total-nas": subnet.total = number
                case "assigned-addresses", "assigned-nas": subnet.assigned = number
                case "declined-addresses": subnet.declined = number
                case "total-pds": subnet.totalPrefixes = number
                case "assigned-pds": subnet.assignedPrefixes = number
                default: break
                }
            }
        }
        return KeaStatistics(
            subnets: subnets.values.sorted { $0.subnetID < $1.subnetID },
            problems: problems.sorted()
        )
    }

    /// The newest sample's value, or a description of what was there instead.
    private static func newest(_ value: JSONValue) -> Result<Double, Problem> {
        guard let samples = value.arrayValue, let first = samples.first else {
            return .failure(Problem(found: value.kindDescription))
        }
        guard let number = first.arrayValue?.first?.numberValue ?? first.numberValue else {
            return .failure(Problem(found: first.arrayValue?.first?.kindDescription ?? first.kindDescription))
        }
        guard number >= 0, number.isFinite else { return .failure(Problem(found: "\(number)")) }
        return .success(number)
    }

    private struct Problem: Error, CustomStringConvertible {
        var found: String
        var description: String { found }
    }

    /// `subnet[ID].COUNTER` or `subnet[ID].pool[INDEX].COUNTER` (`pd-pool` too), for the lease counters.
    private struct StatisticName {
        static let counters: Set<String> = [
            "total-addresses", "assigned-addresses", "declined-addresses", "total-nas", "assigned-nas",
            "total-pds", "assigned-pds",
        ]
        var subnet: Int
        var pool: Int?
        var counter: String

        init?(_ name: String) {
            guard name.hasPrefix("subnet["), let close = name.firstIndex(of: "]") else { return nil }
            guard let subnet = Int(name[name.index(name.startIndex, offsetBy: 7)..<close]) else { return nil }
            var rest = name[name.index(after: close)...]
            guard rest.first == "." else { return nil }
            rest = rest.dropFirst()
            var pool: Int?
            if rest.hasPrefix("pool["), let end = rest.firstIndex(of: "]") {
                guard let index = Int(rest[rest.index(rest.startIndex, offsetBy: 5)..<end]) else { return nil }
                pool = index
                rest = rest[rest.index(after: end)...].dropFirst()
            } else if rest.hasPrefix("pd-pool[") {
                return nil  // per-pd-pool counters: the subnet's totals suffice
            }
            guard Self.counters.contains(String(rest)) else { return nil }
            self.subnet = subnet
            self.pool = pool
            self.counter = String(rest)
        }
    }
}

/// A bounded ring of one target's samples (by count and by age), plus what pair inference learned.
struct TargetHistory: Sendable {
    private var samples: [Sample] = []
    private var head = 0
    private(set) var count = 0
    let capacity: Int
    /// The last failure's message (kept once, not per sample).
    var lastFailureMessage = ""
    /// Per relationship: every scope and server name seen (pair inference), and the local role.
    var relationshipNames: [Set<String>] = []
    var relationshipRoles: [String] = []

    init(capacity: Int) {
        self.capacity = max(2, capacity)
    }

    var latest: Sample? { count == 0 ? nil : self[count - 1] }

    /// The i-th oldest sample.
    subscript(index: Int) -> Sample {
        samples[(head + index) % samples.count]
    }

    mutating func append(_ sample: Sample, maxAge: Double) {
        if count == samples.count {
            if samples.count < capacity {
                if head != 0 {
                    samples = (0..<count).map { self[$0] }
                    head = 0
                }
                if samples.isEmpty { samples.reserveCapacity(capacity) }
                samples.append(sample)
                count += 1
            } else {
                samples[head] = sample  // full: the oldest gives way
                head = (head + 1) % samples.count
            }
        } else {
            samples[(head + count) % samples.count] = sample
            count += 1
        }
        while count > 1 && sample.at - self[0].at > maxAge {
            head = (head + 1) % samples.count
            count -= 1
        }
    }
}

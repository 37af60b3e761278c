/// A pair's subnet over the last hours, thinned to at most `capacity` samples (when full, every
/// other one goes, so the spacing doubles and the history still spans the window): for the growth
/// of declined addresses and the exhaustion forecast.
struct SubnetHistory: Sendable {
    struct Point: Sendable, Equatable {
        var at: Double
        var assigned: Double
        var declined: Double
    }

    static let window = 6.0 * 3600
    static let capacity = 60
    /// The growth of declined addresses is counted over this long.
    static let declineWindow = 3600.0

    private(set) var points: [Point] = []
    /// Seconds until the subnet is full at the current rate; nil while it is not growing or there
    /// is too little history. Computed when a sample arrives, not at every evaluation.
    private(set) var secondsToFull: Double?

    var lastAt: Double { points.last?.at ?? -.infinity }

    mutating func append(_ point: Point, total: Double?) {
        points.append(point)
        if points.count > Self.capacity {
            // Keep the oldest, every other one after it, and the newest (exact, for the rate now).
            points = points.enumerated().filter { $0.offset % 2 == 0 || $0.offset == points.count - 1 }.map(\.element)
        }
        let horizon = point.at - Self.window
        if let first = points.firstIndex(where: { $0.at >= horizon }), first > 0 { points.removeFirst(first) }
        secondsToFull = Self.forecast(points, total: total)
    }

    /// Declined addresses now minus the fewest within the last hour (0 with one sample).
    func declinedGrowth(at now: Double) -> Double? {
        guard let latest = points.last else { return nil }
        var fewest = latest.declined
        for point in points where point.at >= now - Self.declineWindow { fewest = min(fewest, point.declined) }
        return max(0, latest.declined - fewest)
    }

    /// Theil–Sen: the median of the slopes between every two points. Robust: the dip of a freshly
    /// synced partner's count, or a burst, moves it far less than a least-squares line (up to
    /// about 29 % of the points can be outliers).
    static func forecast(_ points: [Point], total: Double?) -> Double? {
        guard let total, let latest = points.last, points.count >= 5, latest.at - points[0].at >= 60 else { return nil }
        var slopes: [Double] = []
        slopes.reserveCapacity(points.count * (points.count - 1) / 2)
        for i in points.indices {
            for j in points.indices where j > i && points[j].at > points[i].at {
                slopes.append((points[j].assigned - points[i].assigned) / (points[j].at - points[i].at))
            }
        }
        guard !slopes.isEmpty else { return nil }
        slopes.sort()
        let middle = slopes.count / 2
        let slope = slopes.count % 2 == 1 ? slopes[middle] : (slopes[middle - 1] + slopes[middle]) / 2
        guard slope > 0 else { return nil }
        return max(0, total - latest.assigned) / slope
    }
}

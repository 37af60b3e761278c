extension Int64 {
    /// The nearest `Int64` to `value`: NaN is 0, anything beyond the range is its nearest end.
    /// The conversion for every number that came from outside (JSON, a store, a date) — `Int64(_:)`
    /// traps on those.
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 0x1p63 {
            self = .max
        } else if value <= -0x1p63 {
            self = .min
        } else {
            self.init(value)
        }
    }
}

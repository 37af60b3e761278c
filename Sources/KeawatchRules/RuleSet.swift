/// The rules of one or more rule files and the correlations between them.
public struct RuleSet: Sendable, Equatable {
    public var rules: [Rule]
    public var correlations: [Correlation]

    public init(rules: [Rule] = [], correlations: [Correlation] = []) {
        self.rules = rules
        self.correlations = correlations
    }
}

/// The rules of one or more rule files and the correlations between them.
package struct RuleSet: Sendable, Equatable {
    package var rules: [Rule]
    package var correlations: [Correlation]

    package init(rules: [Rule] = [], correlations: [Correlation] = []) {
        self.rules = rules
        self.correlations = correlations
    }
}

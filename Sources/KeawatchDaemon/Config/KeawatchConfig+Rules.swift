package import KeawatchModel
package import KeawatchRules

extension KeawatchConfig {
    /// A config and the rule files it names, checked together: what `check` reports and what `run`
    /// starts from. `config` and `rules` are as far as they could be read; only without `errors`
    /// are they fit to run.
    package struct Checked {
        package var config: KeawatchConfig?
        package var rules: RuleSet?
        /// The config's mistakes, then each rule file's (file by file, each in document order).
        package var errors: [LocatedError]
    }

    /// Checks the config and every rule file it names (and `extraRules`): the rule files are
    /// checked even when the config has mistakes elsewhere, with its poll interval when that one
    /// could be read.
    package static func checkWithRules(
        file: String,
        extraRules: [String] = [],
        sources: Sources = .live
    ) -> Checked {
        let checked = check(file: file, sources: sources)
        var result = Checked(config: checked.config, errors: checked.errors)
        let rulePaths = extraRules + (checked.config?.rulePaths ?? [])
        guard !rulePaths.isEmpty else {
            result.rules = RuleSet()
            return result
        }
        do throws(LocatedErrors) {
            result.rules = try RuleFiles.loadSet(rulePaths, pollInterval: checked.config?.pollInterval)
        } catch {
            result.errors += error
        }
        return result
    }

    /// The config and its rules, or every mistake of both.
    package static func loadWithRules(
        file: String,
        sources: Sources = .live
    ) throws(LocatedErrors) -> (config: KeawatchConfig, rules: RuleSet) {
        let checked = checkWithRules(file: file, sources: sources)
        guard let config = checked.config, let rules = checked.rules, checked.errors.isEmpty else {
            throw LocatedErrors(checked.errors)
        }
        return (config, rules)
    }
}

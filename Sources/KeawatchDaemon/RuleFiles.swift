public import KeawatchRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads rule files from disk (the I/O around the pure `Rule.parseFile`): a file, or every `*.json`
/// in a directory, in name order. Rule names must be unique across all of them.
public enum RuleFiles {
    public static func load(_ paths: [String]) throws(RuleError) -> [Rule] {
        try loadSet(paths).rules
    }

    /// The rules and correlations of every file, validated together (a correlation may name rules
    /// of another file; with `pollInterval`, recurrence windows must be at least that long).
    public static func loadSet(_ paths: [String], pollInterval: Duration? = nil) throws(RuleError) -> RuleSet {
        var set = RuleSet()
        var seen: [String: String] = [:]
        for file in try expand(paths) {
            let bytes: [UInt8]
            do {
                bytes = try RegularFile.read(file)
            } catch {
                throw RuleError(file: file, message: "cannot read the file (\(KeawatchConfig.reason(error)))")
            }
            let parsed = try RuleSet.parseFile(bytes, file: file)
            set.correlations += parsed.correlations
            for rule in parsed.rules {
                if let other = seen[rule.name] {
                    throw RuleError(
                        file: file,
                        location: "rule \"\(rule.name)\"",
                        message: "expected a unique rule name; also defined in \(other)"
                    )
                }
                seen[rule.name] = file
                set.rules.append(rule)
            }
        }
        try set.validate(pollInterval: pollInterval)
        return set
    }

    /// Files named directly, and the `*.json` rule files (not schemas) inside named directories.
    static func expand(_ paths: [String]) throws(RuleError) -> [String] {
        var files: [String] = []
        for path in paths {
            guard !path.isEmpty else {
                throw RuleError(file: "\"\"", message: "expected a rule file or directory, found an empty path")
            }
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw RuleError(file: path, message: "no such file or directory")
            }
            if isDirectory {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }.sorted().map {
                    "\(path)/\($0)"
                }
            } else {
                files.append(path)
            }
        }
        return files
    }
}

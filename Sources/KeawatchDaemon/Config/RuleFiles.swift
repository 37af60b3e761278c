package import KeawatchModel
package import KeawatchRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads rule files from disk (the I/O around the pure `RuleSet.parse`): a file, or every `*.json`
/// in a directory, in name order. Rule names must be unique across all of them.
package enum RuleFiles {
    package static func load(_ paths: [String]) throws(LocatedErrors) -> [Rule] {
        try loadSet(paths).rules
    }

    /// The rules and correlations of every file, validated together (a correlation may name rules
    /// of another file; with `pollInterval`, recurrence windows must be at least that long).
    /// Every file is read and checked, whatever mistakes an earlier one has; the mistakes come file
    /// by file, each file's in document order.
    package static func loadSet(_ paths: [String], pollInterval: Duration? = nil) throws(LocatedErrors) -> RuleSet {
        var set = RuleSet()
        var collectors: [LocatedErrorCollector] = []
        var firstDefinition: [String: String] = [:]
        for (file, missing) in expand(paths) {
            let problems = LocatedErrorCollector(file: file)
            collectors.append(problems)
            if let missing {
                problems.record(missing)
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try RegularFile.read(file)
            } catch {
                problems.record(
                    LocatedError(file: file, message: "cannot read the file (\(KeawatchConfig.reason(error)))")
                )
                continue
            }
            guard let document = problems.parseDocument(bytes),
                let parsed = RuleSet.parse(document, file: file, problems: problems)
            else { continue }
            set.rules += parsed.rules
            set.correlations += parsed.correlations
            // Names as written (a rule with a mistake of its own still takes its name); a second
            // use within one file is that file's own mistake.
            for (index, value) in (document["rules"]?.arrayValue ?? []).enumerated() {
                guard let name = value["name"]?.stringValue else { continue }
                guard let other = firstDefinition[name] else {
                    firstDefinition[name] = file
                    continue
                }
                guard other != file else { continue }
                problems.record(
                    JSONShapeError(
                        path: JSONPath.root.appending("rules").appending(index).appending("name"),
                        expected: "a name no rule of another file has",
                        found: "\"\(name)\" (also defined in \(other))"
                    )
                )
            }
        }
        // Correlations may name rules of any file: with a file that did not load, such a name would
        // be a false mistake, so they are checked once every file loads.
        let complete = collectors.allSatisfy(\.isEmpty)
        for mistake in set.mistakes(pollInterval: pollInterval)
        where complete || !set.correlations.contains(where: { mistake.file == $0.file && mistake.isAbout($0) }) {
            collectors.first { $0.file == mistake.file }?.record(mistake)
        }
        let errors = collectors.flatMap(\.errors)
        guard errors.isEmpty else { throw LocatedErrors(errors) }
        return set
    }

    /// Files named directly, and the `*.json` rule files (not schemas) inside named directories, in
    /// order; a path that names nothing comes with its mistake.
    static func expand(_ paths: [String]) -> [(file: String, missing: LocatedError?)] {
        var files: [(file: String, missing: LocatedError?)] = []
        for path in paths {
            guard !path.isEmpty else {
                let file = "\"\""
                files.append(
                    (file, LocatedError(file: file, message: "expected a rule file or directory, found an empty path"))
                )
                continue
            }
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                files.append((path, LocatedError(file: path, message: "no such file or directory")))
                continue
            }
            if isDirectory {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }.sorted().map {
                    ("\(path)/\($0)", nil)
                }
            } else {
                files.append((path, nil))
            }
        }
        return files
    }
}

extension LocatedError {
    /// Whether this mistake is located inside `correlation`.
    fileprivate func isAbout(_ correlation: Correlation) -> Bool {
        guard case .path(let path) = location else { return false }
        return path.components.starts(with: correlation.path.components)
    }
}

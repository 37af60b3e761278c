import KeawatchCurl
import KeawatchEngine
package import KeawatchModel
import KeawatchNotify
import KeawatchPolling
import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension KeawatchConfig {
    /// Where secrets and files come from; injected so tests need no real environment.
    package struct Sources: Sendable {
        package var environment: [String: String]
        package var readFile: @Sendable (String) throws -> [UInt8]
        package var fileExists: @Sendable (String) -> Bool

        package init(
            environment: [String: String],
            readFile: @escaping @Sendable (String) throws -> [UInt8],
            fileExists: @escaping @Sendable (String) -> Bool
        ) {
            self.environment = environment
            self.readFile = readFile
            self.fileExists = fileExists
        }

        /// The process environment and the real file system.
        package static var live: Sources {
            Sources(
                environment: ProcessInfo.processInfo.environment,
                readFile: { path in try RegularFile.read(path) },
                fileExists: { FileManager.default.isReadableFile(atPath: $0) }
            )
        }
    }

    /// Reads and validates a config file: syntax, then shape (unknown keys are errors), then meaning.
    /// Every mistake is reported, in document order; a syntax error stops at itself.
    package static func load(file: String, sources: Sources = .live) throws(LocatedErrors) -> KeawatchConfig {
        try reading(file, sources: sources) { document, problems in
            parse(document, file: file, sources: sources, problems: problems)
        }.get()
    }

    /// What `keawatch check` reports: every mistake of the file, and the config as far as it could
    /// be read (nil when the file cannot be read or parsed) — with mistakes elsewhere in it, the
    /// rule files it names can still be checked. Only a config without mistakes is fit to run.
    package static func check(
        file: String,
        sources: Sources = .live
    ) -> (config: KeawatchConfig?, errors: [LocatedError]) {
        let read = reading(file, sources: sources) { document, problems in
            parse(document, file: file, sources: sources, problems: problems)
        }
        return (read.partial, read.errors)
    }

    /// What reading a file gave: the result as far as it could be read, and every mistake.
    struct Reading<Value> {
        var partial: Value?
        var errors: [LocatedError]

        /// The result, if it has no mistake.
        func get() throws(LocatedErrors) -> Value {
            guard let partial, errors.isEmpty else { throw LocatedErrors(errors) }
            return partial
        }
    }

    /// Reads a config file and hands its JSON to `interpret`, which records its mistakes instead
    /// of stopping at the first. An unreadable file or a syntax error is the file's only mistake.
    static func reading<Value>(
        _ file: String,
        sources: Sources,
        _ interpret: (JSONValue, LocatedErrorCollector) -> Value?
    ) -> Reading<Value> {
        let bytes: [UInt8]
        do {
            bytes = try sources.readFile(file)
        } catch {
            return Reading(errors: [LocatedError(file: file, message: "cannot read the file (\(Self.reason(error)))")])
        }
        let problems = LocatedErrorCollector(file: file)
        guard let document = problems.parseDocument(bytes) else { return Reading(errors: problems.errors) }
        let partial = interpret(document, problems)
        return Reading(partial: partial, errors: problems.errors)
    }

    /// The directory relative paths in `file` resolve against.
    static func directory(of file: String) -> String {
        file.lastIndex(of: "/").map { String(file[..<$0]) } ?? ""
    }

    /// The whole config, every mistake recorded in `problems`; nil only when the document is not an
    /// object. What it returns is meaningful only when `problems` stayed empty.
    static func parse(
        _ document: JSONValue,
        file: String,
        sources: Sources,
        problems: LocatedErrorCollector
    ) -> KeawatchConfig? {
        guard
            var root = problems.value(
                or: nil,
                { () throws(JSONShapeError) in try JSONObjectReader(document, at: .root) }
            )
        else { return nil }
        let pollInterval =
            problems.value(or: nil) { () throws(JSONShapeError) in
                try root.duration("poll_interval", in: .milliseconds(100)...DurationText.maximum)
            } ?? defaultPollInterval
        let statisticsDefault = problems.value(or: KeaTarget.defaultStatisticsInterval) { () throws(JSONShapeError) in
            try interval(&root, "statistics_interval", default: KeaTarget.defaultStatisticsInterval)
        }
        let configInterval = problems.value(or: defaultConfigInterval) { () throws(JSONShapeError) in
            try interval(&root, "config_interval", default: defaultConfigInterval)
        }
        let directory = directory(of: file)
        var targetValues: [JSONValue] = []
        problems.check { () throws(JSONShapeError) in
            guard let values = try root.array("targets"), !values.isEmpty else {
                throw JSONShapeError(path: root.path.appending("targets"), expected: "an array of at least one target")
            }
            targetValues = values
        }
        // Names as written, so that a target (or receiver) with a mistake of its own does not also
        // make every reference to it a mistake.
        let targetNames = names(
            of: targetValues,
            at: root.path.appending("targets"),
            kind: "target",
            problems: problems
        )
        var targets: [KeaTarget] = []
        for (index, value) in targetValues.enumerated() {
            let target = parseTarget(
                value,
                at: root.path.appending("targets").appending(index),
                directory: directory,
                statistics: statisticsDefault,
                sources: sources,
                problems: problems
            )
            if let target { targets.append(target) }
        }
        var rulePaths: [String] = []
        let ruleValues = problems.value(or: nil) { () throws(JSONShapeError) in try root.strings("rules") } ?? []
        for (index, path) in ruleValues.enumerated() {
            let resolved = resolve(path, against: directory)
            guard !path.isEmpty, sources.fileExists(resolved) else {
                problems.record(
                    JSONShapeError(
                        path: root.path.appending("rules").appending(index),
                        expected: "a rule file or directory",
                        found: "\"\(resolved)\""
                    )
                )
                continue
            }
            rulePaths.append(resolved)
        }
        var pairs: [DeclaredPair] = []
        let pairValues = problems.value(or: nil) { () throws(JSONShapeError) in try root.array("pairs") } ?? []
        for (index, value) in pairValues.enumerated() {
            let pair = parsePair(
                value,
                at: root.path.appending("pairs").appending(index),
                targets: targetNames,
                problems: problems
            )
            if let pair { pairs.append(pair) }
        }
        let receiverValues = problems.value(or: nil) { () throws(JSONShapeError) in try root.array("receivers") } ?? []
        let receiverNames = names(
            of: receiverValues,
            at: root.path.appending("receivers"),
            kind: "receiver",
            problems: problems
        )
        var receivers: [ReceiverConfig] = []
        for (index, value) in receiverValues.enumerated() {
            let path = root.path.appending("receivers").appending(index)
            let receiver = ReceiverConfig.parse(
                value,
                at: path,
                directory: directory,
                sources: sources,
                problems: problems
            )
            if let receiver { receivers.append(receiver) }
        }
        let routes = RouteConfig.parseRoutes(
            problems.value(or: nil) { () throws(JSONShapeError) in try root.array("routes") } ?? [],
            at: root.path.appending("routes"),
            receivers: receiverNames,
            problems: problems
        )
        let inhibitRules = RouteConfig.parseInhibitRules(
            problems.value(or: nil) { () throws(JSONShapeError) in try root.array("inhibit") } ?? [],
            at: root.path.appending("inhibit"),
            problems: problems
        )
        let agent = parseAgentSettings(
            &root,
            directory: directory,
            pollInterval: pollInterval,
            sources: sources,
            problems: problems
        )
        problems.rejectUnknownKeys(root, known: topLevelKeys)
        var config = KeawatchConfig(
            file: file,
            pollInterval: pollInterval,
            targets: targets,
            rulePaths: rulePaths,
            pairs: pairs
        )
        config.configInterval = configInterval
        config.receivers = receivers
        // Without routes: every alert that pages or warns to every receiver, grouped per pair; change
        // events (info) only where a route asks for them.
        config.routes =
            routes.isEmpty && !receivers.isEmpty
            ? [Route(match: ["severity": ["critical", "warning"]], receivers: receivers.map(\.name))] : routes
        config.inhibitRules = inhibitRules
        config.agent = agent
        return config
    }

    static let topLevelKeys = [
        "poll_interval", "statistics_interval", "config_interval", "targets", "rules", "pairs", "receivers",
        "routes", "inhibit", "state_dir", "listen",
        "api_token_file", "api_token_env", "heartbeat", "self_alerts", "maintenance_silences",
    ]

    /// The `name` of each target (or receiver) as written, a second use of a name recorded as a
    /// mistake. A missing or malformed name is the object's own mistake, recorded when it is read.
    private static func names(
        of values: [JSONValue],
        at path: JSONPath,
        kind: String,
        problems: LocatedErrorCollector
    ) -> [String] {
        var names: [String] = []
        for (index, value) in values.enumerated() {
            guard let name = value["name"]?.stringValue, !name.isEmpty else { continue }
            if names.contains(name) {
                problems.record(
                    JSONShapeError(
                        path: path.appending(index).appending("name"),
                        expected: "a name no other \(kind) has",
                        found: "\"\(name)\""
                    )
                )
            }
            names.append(name)
        }
        return names
    }

    private static func parsePair(
        _ value: JSONValue,
        at path: JSONPath,
        targets: [String],
        problems: LocatedErrorCollector
    ) -> DeclaredPair? {
        guard
            var reader = problems.value(or: nil, { () throws(JSONShapeError) in try JSONObjectReader(value, at: path) })
        else { return nil }
        var listed: [String] = []
        let membersAreStrings = problems.check { () throws(JSONShapeError) in
            listed = try reader.strings("targets") ?? []
        }
        let name = problems.value(or: nil) { () throws(JSONShapeError) in try reader.string("name") }
        problems.rejectUnknownKeys(reader, known: ["name", "targets"])
        guard membersAreStrings else { return nil }
        guard listed.count == 2, listed[0] != listed[1] else {
            problems.record(JSONShapeError(path: path.appending("targets"), expected: "two different target names"))
            return nil
        }
        var valid = true
        for (position, member) in listed.enumerated() where !targets.contains(member) {
            problems.record(
                JSONShapeError(
                    path: path.appending("targets").appending(position),
                    expected: "the name of a target",
                    found: "\"\(member)\""
                )
            )
            valid = false
        }
        guard valid else { return nil }
        return DeclaredPair(name: name ?? listed.sorted().joined(separator: "+"), targets: listed)
    }

    private static func parseTarget(
        _ value: JSONValue,
        at path: JSONPath,
        directory: String,
        statistics: Duration?,
        sources: Sources,
        problems: LocatedErrorCollector
    ) -> KeaTarget? {
        guard
            var reader = problems.value(or: nil, { () throws(JSONShapeError) in try JSONObjectReader(value, at: path) })
        else { return nil }
        let name = problems.value(or: nil) { () throws(JSONShapeError) in try reader.requiredString("name") }
        let url = problems.value(or: nil) { () throws(JSONShapeError) in
            let url = try reader.requiredString("url")
            try validateURL(url, at: path.appending("url"), schemes: ["http", "https"])
            return url
        }
        let service = problems.value(or: "dhcp4") { () throws(JSONShapeError) -> String? in
            guard reader.has("service") else { return "dhcp4" }
            // An explicit null means "no Control Agent": a Kea ≥ 3.0 daemon's own HTTP socket.
            if reader.members["service"] == .null {
                _ = reader.value("service")
                return nil
            }
            return try reader.requiredString("service")
        }
        let credentials = parseCredentials(&reader, directory: directory, sources: sources, problems: problems)
        let tls = parseTLS(&reader, directory: directory, sources: sources, problems: problems)
        let timeout =
            problems.value(or: nil) { () throws(JSONShapeError) in try reader.duration("timeout", in: timeoutRange) }
            ?? defaultTimeout
        let limit = problems.value(or: nil) { () throws(JSONShapeError) in
            try reader.integer("max_response_bytes", in: 1024...(1 << 30))
        }
        let statisticsInterval = problems.value(or: statistics) { () throws(JSONShapeError) in
            try interval(&reader, "statistics_interval", default: statistics)
        }
        problems.rejectUnknownKeys(reader, known: targetKeys)
        guard let name, let url else { return nil }
        var target = KeaTarget(
            name: name,
            url: url,
            service: service,
            credentials: credentials,
            tls: tls,
            timeout: timeout
        )
        if let limit { target.maxResponseBytes = limit }
        target.statisticsInterval = statisticsInterval
        return target
    }

    static let targetKeys = [
        "name", "url", "service", "username", "password_file", "password_env", "ca_file", "cert_file",
        "key_file", "insecure_skip_verify", "timeout", "max_response_bytes", "statistics_interval",
    ]

    /// `statistics_interval`, `config_interval`: how often a command is polled, from 1s to 1d, or
    /// "off" (nil). The one duration parser, with its range.
    static func interval(
        _ reader: inout JSONObjectReader,
        _ key: String,
        default fallback: Duration?
    ) throws(JSONShapeError) -> Duration? {
        guard reader.has(key) else { return fallback }
        if reader.members[key] == .string("off") {
            _ = reader.value(key)
            return nil
        }
        do {
            return try reader.duration(key, in: .seconds(1)...(.seconds(86400)))
        } catch {
            throw JSONShapeError(path: error.path, expected: error.expected + ", or \"off\"", found: error.found)
        }
    }

    /// `username` with exactly one of `password_file` / `password_env`; the password never lands in a message.
    static func parseCredentials(
        _ reader: inout JSONObjectReader,
        directory: String,
        sources: Sources,
        problems: LocatedErrorCollector
    ) -> Credentials? {
        var username: String?
        // A malformed user name is its own mistake; a password without one is another.
        guard problems.check({ () throws(JSONShapeError) in username = try reader.string("username") }) else {
            return nil
        }
        guard let username else {
            if reader.has("password_file") || reader.has("password_env") {
                problems.record(
                    JSONShapeError(
                        path: reader.path.appending("username"),
                        expected: "a user name to go with the password"
                    )
                )
            }
            return nil
        }
        let password = problems.value(or: nil) { () throws(JSONShapeError) in
            try secret(&reader, "password", directory: directory, sources: sources, allowInline: false)
        }
        return password.map { Credentials(username: username, password: $0) }
    }

    /// A secret given as `KEY` (when `allowInline`), `KEY_file` or `KEY_env`: exactly one. Files lose
    /// their trailing newlines. Nil only when `required` is false and none is given.
    static func secret(
        _ reader: inout JSONObjectReader,
        _ key: String,
        directory: String,
        sources: Sources,
        required: Bool = true,
        allowInline: Bool = true
    ) throws(JSONShapeError) -> Secret? {
        let inline = allowInline ? try reader.string(key) : nil
        let file = try reader.string("\(key)_file")
        let variable = try reader.string("\(key)_env")
        let choices = (allowInline ? [key] : []) + ["\(key)_file", "\(key)_env"]
        guard [inline != nil, file != nil, variable != nil].filter({ $0 }).count <= 1 else {
            throw JSONShapeError(
                path: reader.path.appending("\(key)_file"),
                expected: "only one of " + choices.joined(separator: ", ")
            )
        }
        if let inline { return Secret(inline) }
        if let file {
            let resolved = resolve(file, against: directory)
            let bytes: [UInt8]
            do {
                bytes = try sources.readFile(resolved)
            } catch {
                throw JSONShapeError(
                    path: reader.path.appending("\(key)_file"),
                    expected: "a readable file",
                    found: "\"\(resolved)\" (\(Self.reason(error)))"
                )
            }
            var text = String(decoding: bytes, as: UTF8.self)
            while text.last?.isNewline == true { text.removeLast() }
            return Secret(text)
        }
        if let variable {
            guard let text = sources.environment[variable] else {
                throw JSONShapeError(
                    path: reader.path.appending("\(key)_env"),
                    expected: "the name of a set environment variable",
                    found: "\"\(variable)\", which is not set"
                )
            }
            return Secret(text)
        }
        if required {
            throw JSONShapeError(
                path: reader.path.appending(choices[0]),
                expected: "one of " + choices.joined(separator: ", "),
                found: "nothing"
            )
        }
        return nil
    }

    /// `ca_file`, `cert_file`/`key_file` (both or neither) and `insecure_skip_verify`.
    static func parseTLS(
        _ reader: inout JSONObjectReader,
        directory: String,
        sources: Sources,
        problems: LocatedErrorCollector
    ) -> TLSOptions {
        func file(_ key: String) -> String? {
            problems.value(or: nil) { () throws(JSONShapeError) -> String? in
                guard let path = try reader.string(key) else { return nil }
                let resolved = resolve(path, against: directory)
                guard sources.fileExists(resolved) else {
                    throw JSONShapeError(
                        path: reader.path.appending(key),
                        expected: "a readable file",
                        found: "\"\(resolved)\""
                    )
                }
                return resolved
            }
        }
        let tls = TLSOptions(
            caFile: file("ca_file"),
            certFile: file("cert_file"),
            keyFile: file("key_file"),
            insecureSkipVerify: problems.value(or: nil) { () throws(JSONShapeError) in
                try reader.bool("insecure_skip_verify")
            } ?? false
        )
        // Given at all (even if the file is missing, a mistake of its own): null is not given.
        func given(_ key: String) -> Bool { (reader.members[key] ?? .null) != .null }
        if given("cert_file") != given("key_file") {
            problems.record(
                JSONShapeError(
                    path: reader.path.appending(given("cert_file") ? "key_file" : "cert_file"),
                    expected: "cert_file and key_file together"
                )
            )
        }
        return tls
    }

    /// `secret: true` for URLs that are secrets themselves (read from a file or the environment):
    /// an error then shows only their scheme.
    static func validateURL(
        _ text: String,
        at path: JSONPath,
        schemes: Set<String>,
        secret: Bool = false
    ) throws(JSONShapeError) {
        let expected = "a URL with scheme " + schemes.sorted().joined(separator: " or ") + " and a port from 1 to 65535"
        // A secret URL shows at most its scheme (the usual mistake, "htps://"): its host, path
        // and query may all be the secret.
        let scheme = text.firstRange(of: "://").map { String(text[..<$0.lowerBound].prefix(10)) }
        let shown =
            !secret
            ? "\"\(URLRedaction.redact(text, secret: false))\""
            : scheme.map { "a URL with scheme \"\($0)\" (the rest is not shown: it is a secret)" }
                ?? "something else (not shown: it is a secret)"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            schemes.contains(scheme), let host = components.host, !host.isEmpty,
            components.port.map({ (1...65535).contains($0) }) ?? true
        else {
            throw JSONShapeError(path: path, expected: expected, found: shown)
        }
        if !secret, components.user != nil || components.password != nil {
            throw JSONShapeError(
                path: path,
                expected: "a URL without credentials (use username with password_file or password_env)",
                found: "\"\(redactedURL(text))\""
            )
        }
    }

    /// Why a file could not be read, without Foundation's localized boilerplate.
    package static func reason(_ error: any Error) -> String {
        if let error = error as? RegularFile.ReadError { return error.reason }
        if let error = error as? CocoaError {
            switch error.code {
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
            case .fileReadNoPermission: return "permission denied"
            default: break
            }
        }
        return "\(error)"
    }

    static func resolve(_ path: String, against directory: String) -> String {
        path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
    }

    /// A URL fit for messages: user info removed.
    static func redactedURL(_ text: String) -> String {
        URLRedaction.redact(text, secret: false)
    }
}

import KeawatchCurl
import KeawatchEngine
import KeawatchModel
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
    public struct Sources: Sendable {
        public var environment: [String: String]
        public var readFile: @Sendable (String) throws -> [UInt8]
        public var fileExists: @Sendable (String) -> Bool

        public init(
            environment: [String: String],
            readFile: @escaping @Sendable (String) throws -> [UInt8],
            fileExists: @escaping @Sendable (String) -> Bool
        ) {
            self.environment = environment
            self.readFile = readFile
            self.fileExists = fileExists
        }

        /// The process environment and the real file system.
        public static var live: Sources {
            Sources(
                environment: ProcessInfo.processInfo.environment,
                readFile: { path in try RegularFile.read(path) },
                fileExists: { FileManager.default.isReadableFile(atPath: $0) }
            )
        }
    }

    /// Reads and validates a config file: syntax, then shape (unknown keys are errors), then meaning.
    public static func load(file: String, sources: Sources = .live) throws(ConfigError) -> KeawatchConfig {
        try reading(file, sources: sources) { document in try parse(document, file: file, sources: sources) }
    }

    /// Reads a config file and hands its JSON to `interpret`; every failure (unreadable, bad
    /// syntax, bad shape) becomes a `ConfigError` naming the file and where.
    static func reading<Result>(
        _ file: String,
        sources: Sources,
        _ interpret: (JSONValue) throws -> Result
    ) throws(ConfigError) -> Result {
        let bytes: [UInt8]
        do {
            bytes = try sources.readFile(file)
        } catch {
            throw ConfigError(file: file, message: "cannot read the file (\(Self.reason(error)))")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parseDocument(bytes)
        } catch {
            throw ConfigError(
                file: file,
                location: "line \(error.line), column \(error.column)",
                message: "expected \(error.expected)"
            )
        }
        do {
            return try interpret(document)
        } catch let error as JSONShapeError {
            throw ConfigError(file: file, location: error.path.description, message: error.messageWithoutPath)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: file, message: "\(error)")
        }
    }

    /// The directory relative paths in `file` resolve against.
    static func directory(of file: String) -> String {
        file.lastIndex(of: "/").map { String(file[..<$0]) } ?? ""
    }

    static func parse(_ document: JSONValue, file: String, sources: Sources) throws -> KeawatchConfig {
        var root = try JSONObjectReader(document, at: .root)
        let pollInterval =
            try root.duration("poll_interval", in: .milliseconds(100)...DurationText.maximum) ?? defaultPollInterval
        let statisticsDefault = try interval(&root, "statistics_interval", default: KeaTarget.defaultStatisticsInterval)
        let configInterval = try interval(&root, "config_interval", default: defaultConfigInterval)
        guard let targetValues = try root.array("targets"), !targetValues.isEmpty else {
            throw JSONShapeError(path: root.path.appending("targets"), expected: "an array of at least one target")
        }
        var targets: [KeaTarget] = []
        var names: Set<String> = []
        let directory = directory(of: file)
        for (index, value) in targetValues.enumerated() {
            let path = root.path.appending("targets").appending(index)
            let target = try parseTarget(
                value,
                at: path,
                directory: directory,
                statistics: statisticsDefault,
                sources: sources
            )
            guard names.insert(target.name).inserted else {
                throw JSONShapeError(
                    path: path.appending("name"),
                    expected: "a name no other target has",
                    found: "\"\(target.name)\""
                )
            }
            targets.append(target)
        }
        var rulePaths: [String] = []
        for (index, path) in (try root.strings("rules") ?? []).enumerated() {
            let resolved = resolve(path, against: directory)
            guard !path.isEmpty, sources.fileExists(resolved) else {
                throw JSONShapeError(
                    path: root.path.appending("rules").appending(index),
                    expected: "a rule file or directory",
                    found: "\"\(resolved)\""
                )
            }
            rulePaths.append(resolved)
        }
        var pairs: [DeclaredPair] = []
        for (index, value) in (try root.array("pairs") ?? []).enumerated() {
            let path = root.path.appending("pairs").appending(index)
            var reader = try JSONObjectReader(value, at: path)
            let members = try reader.strings("targets") ?? []
            guard members.count == 2, members[0] != members[1] else {
                throw JSONShapeError(path: path.appending("targets"), expected: "two different target names")
            }
            for (position, member) in members.enumerated() where !names.contains(member) {
                throw JSONShapeError(
                    path: path.appending("targets").appending(position),
                    expected: "the name of a target",
                    found: "\"\(member)\""
                )
            }
            let name = try reader.string("name") ?? members.sorted().joined(separator: "+")
            try reader.finish(known: ["name", "targets"])
            pairs.append(DeclaredPair(name: name, targets: members))
        }
        var receivers: [ReceiverConfig] = []
        for (index, value) in (try root.array("receivers") ?? []).enumerated() {
            let path = root.path.appending("receivers").appending(index)
            let receiver = try ReceiverConfig.parse(value, at: path, directory: directory, sources: sources)
            guard !receivers.contains(where: { $0.name == receiver.name }) else {
                throw JSONShapeError(
                    path: path.appending("name"),
                    expected: "a name no other receiver has",
                    found: "\"\(receiver.name)\""
                )
            }
            receivers.append(receiver)
        }
        let routes = try RouteConfig.parseRoutes(
            try root.array("routes") ?? [],
            at: root.path.appending("routes"),
            receivers: receivers.map(\.name)
        )
        let inhibitRules = try RouteConfig.parseInhibitRules(
            try root.array("inhibit") ?? [],
            at: root.path.appending("inhibit")
        )
        let agent = try parseAgentSettings(&root, directory: directory, pollInterval: pollInterval, sources: sources)
        try root.finish(known: [
            "poll_interval", "statistics_interval", "config_interval", "targets", "rules", "pairs", "receivers",
            "routes", "inhibit", "state_dir", "listen",
            "api_token_file", "api_token_env", "heartbeat", "self_alerts", "maintenance_silences",
        ])
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

    private static func parseTarget(
        _ value: JSONValue,
        at path: JSONPath,
        directory: String,
        statistics: Duration?,
        sources: Sources
    ) throws -> KeaTarget {
        var reader = try JSONObjectReader(value, at: path)
        let name = try reader.requiredString("name")
        let url = try reader.requiredString("url")
        try validateURL(url, at: path.appending("url"), schemes: ["http", "https"])
        var service: String? = "dhcp4"
        if reader.has("service") {
            // An explicit null means "no Control Agent": a Kea ≥ 3.0 daemon's own HTTP socket.
            if reader.members["service"] == .null {
                _ = reader.value("service")
                service = nil
            } else {
                service = try reader.requiredString("service")
            }
        }
        let credentials = try parseCredentials(&reader, directory: directory, sources: sources)
        let tls = try parseTLS(&reader, directory: directory, sources: sources)
        let timeout = try reader.duration("timeout", in: timeoutRange) ?? defaultTimeout
        var target = KeaTarget(
            name: name,
            url: url,
            service: service,
            credentials: credentials,
            tls: tls,
            timeout: timeout
        )
        if let limit = try reader.integer("max_response_bytes", in: 1024...(1 << 30)) {
            target.maxResponseBytes = limit
        }
        target.statisticsInterval = try interval(&reader, "statistics_interval", default: statistics)
        try reader.finish(known: [
            "name", "url", "service", "username", "password_file", "password_env", "ca_file", "cert_file",
            "key_file", "insecure_skip_verify", "timeout", "max_response_bytes", "statistics_interval",
        ])
        return target
    }

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
        sources: Sources
    ) throws -> Credentials? {
        guard let username = try reader.string("username") else {
            if reader.has("password_file") || reader.has("password_env") {
                throw JSONShapeError(
                    path: reader.path.appending("username"),
                    expected: "a user name to go with the password"
                )
            }
            return nil
        }
        let password = try secret(&reader, "password", directory: directory, sources: sources, allowInline: false)
        return Credentials(username: username, password: password!)
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
    ) throws -> Secret? {
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

    static func parseTLS(_ reader: inout JSONObjectReader, directory: String, sources: Sources) throws -> TLSOptions {
        func file(_ key: String) throws -> String? {
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
        let tls = TLSOptions(
            caFile: try file("ca_file"),
            certFile: try file("cert_file"),
            keyFile: try file("key_file"),
            insecureSkipVerify: try reader.bool("insecure_skip_verify") ?? false
        )
        if (tls.certFile == nil) != (tls.keyFile == nil) {
            throw JSONShapeError(
                path: reader.path.appending(tls.certFile == nil ? "cert_file" : "key_file"),
                expected: "cert_file and key_file together"
            )
        }
        return tls
    }

    /// `secret: true` for URLs that are secrets themselves (read from a file or the environment):
    /// an error then shows only their scheme.
    static func validateURL(_ text: String, at path: JSONPath, schemes: Set<String>, secret: Bool = false) throws {
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

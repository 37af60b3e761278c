import Foundation
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel
import Testing

/// Every config mistake found by trying keawatch as an attacker and as a careless operator would:
/// each is a located error with the allowed range, never a crash and never an echoed secret.
@Suite struct HostileConfigTests {
    static let file = "/etc/keawatch/config.json"
    static let target = #"{"name": "k", "url": "http://192.0.2.1/"}"#
    static let secret = "T0KEN-never-printed"

    /// The one mistake `text` has (nil when it loads; a test failure when it has several).
    func mistake(
        _ text: String,
        files: [String: String] = [:],
        environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> LocatedError? {
        var all = files
        all[Self.file] = text
        do {
            _ = try KeawatchConfig.load(
                file: Self.file,
                sources: ConfigLoadingTests.sources(all, environment: environment)
            )
            return nil
        } catch {
            #expect(error.count == 1, "\(error)", sourceLocation: sourceLocation)
            return error.first
        }
    }

    @Test(arguments: [
        (#""poll_interval": 1e300"#, "$.poll_interval", "from 100ms to 3650d (10 years)"),
        (#""poll_interval": "9223372036854775807s""#, "$.poll_interval", "from 100ms to 3650d (10 years)"),
        (#""poll_interval": "106751991167d""#, "$.poll_interval", "from 100ms to 3650d (10 years)"),
        (#""heartbeat": {"url": "http://h/", "interval": 1e300}"#, "$.heartbeat.interval", "from 1s to"),
        (#""heartbeat": {"url": "http://h/", "timeout": "0s"}"#, "$.heartbeat.timeout", "from 1ms to 1h"),
        (#""self_alerts": {"polling_failing_for": "0s"}"#, "$.self_alerts.polling_failing_for", "from 1s to"),
        (#""self_alerts": {"outbox_stuck_for": 1e300}"#, "$.self_alerts.outbox_stuck_for", "from 1s to"),
        (#""listen": "127.0.0.1:99999""#, "$.listen", "host:port"),
        (#""listen": "127.0.0.1:0""#, "$.listen", "host:port"),
        (#""rules": [""]"#, "$.rules[0]", "a rule file or directory"),
    ])
    func hugeAndSenselessTopLevelValuesAreRefusedWithTheirRange(member: String, path: String, range: String) throws {
        let error = try #require(mistake("{\(member), \"targets\": [\(Self.target)]}"))
        #expect(error.location?.description == path)
        #expect(error.message.contains(range))
    }

    @Test(arguments: [
        (#""timeout": "9223372036854775807s""#, "$.targets[0].timeout", "from 1ms to 1h"),
        (#""timeout": 1e300"#, "$.targets[0].timeout", "from 1ms to 1h"),
        (#""max_response_bytes": 1e300"#, "$.targets[0].max_response_bytes", "from 1024 to 1073741824"),
        (#""max_response_bytes": 2048.5"#, "$.targets[0].max_response_bytes", "from 1024 to 1073741824"),
    ])
    func hugeTargetValuesAreRefusedWithTheirRange(member: String, path: String, range: String) throws {
        let error = try #require(mistake(#"{"targets": [{"name": "k", "url": "http://192.0.2.1/", \#(member)}]}"#))
        #expect(error.location?.description == path)
        #expect(error.message.contains(range))
    }

    @Test(arguments: ["http://192.0.2.1:99999/", "http://192.0.2.1:0/"])
    func portsOutsideTheirRangeAreRefused(url: String) throws {
        let error = try #require(mistake(#"{"targets": [{"name": "k", "url": "\#(url)"}]}"#))
        #expect(error.location?.description == "$.targets[0].url")
        #expect(error.message.contains("a port from 1 to 65535"))
    }

    @Test(arguments: [
        (#""group_wait": 1e300"#, "$.routes[0].group_wait"),
        (#""group_interval": "0s""#, "$.routes[0].group_interval"),
        (#""repeat_interval": "99999999999999d""#, "$.routes[0].repeat_interval"),
    ])
    func routeTimersHaveRanges(member: String, path: String) throws {
        let text = """
            {"targets": [\(Self.target)], "receivers": [{"name": "w", "type": "webhook", "url": "http://h/"}],
             "routes": [{"receivers": ["w"], \(member)}]}
            """
        #expect(mistake(text)?.location?.description == path)
    }

    @Test(arguments: [
        "htps://hooks.example/T0/B0/\(secret)", "https://hooks.example:99999/T0/B0/\(secret)",
        "https:///T0/B0/\(secret)", "\(secret)",
    ])
    func aMistakenSecretWebhookURLIsNeverEchoed(url: String) throws {
        for source in ["url_file", "url_env"] {
            let member = source == "url_file" ? #""url_file": "hook.url""# : #""url_env": "HOOK""#
            let text = """
                {"targets": [\(Self.target)], "receivers": [{"name": "chat", "type": "slack", \(member)}]}
                """
            let error = try #require(
                mistake(text, files: ["/etc/keawatch/hook.url": url + "\n"], environment: ["HOOK": url])
            )
            #expect(error.location?.description == "$.receivers[0].url")
            #expect(!error.description.contains(Self.secret))
            #expect(!error.description.contains("T0/B0"))
        }
    }

    @Test func checkShowsASecretWebhookByItsHostOnly() throws {
        let text = #"{"targets": [\#(Self.target)], "receivers": [{"name": "c", "type": "slack", "url_env": "HOOK"}]}"#
        let config = try KeawatchConfig.load(
            file: Self.file,
            sources: ConfigLoadingTests.sources(
                [Self.file: text],
                environment: ["HOOK": "https://user:pw@hooks.example/T0/B0/\(Self.secret)"]
            )
        )
        #expect(config.receivers[0].destination == "https://hooks.example/…")
    }

    @Test(arguments: [
        "http://admin:pa/ss-\(secret)@192.0.2.1/", "http://admin:pa@ss-\(secret)@192.0.2.1/",
        "http://admin:\(secret)@192.0.2.1/", "http://\(secret)@192.0.2.1:99999/",
    ])
    func inlineCredentialsInATargetURLAreNeverEchoed(url: String) throws {
        let error = try #require(mistake(#"{"targets": [{"name": "k", "url": "\#(url)"}]}"#))
        #expect(error.location?.description == "$.targets[0].url")
        #expect(!error.description.contains(Self.secret))
    }

    @Test(arguments: ["X-Token\r\nInjected", "X Token", ""])
    func headerNamesMustBeTokens(name: String) throws {
        let escaped = name.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        let text = """
            {"targets": [\(Self.target)], "receivers": [{"name": "w", "type": "webhook", "url": "http://h/",
             "headers": {"\(escaped)": "v"}}]}
            """
        #expect(mistake(text)?.location?.description.hasPrefix("$.receivers[0].headers") == true)
    }

    @Test(arguments: ["v\\r\\nX-Injected: 1", "v\\rX", "v\\nX", "v\\u0000"])
    func headerValuesMustBeOneLine(value: String) throws {
        let text = """
            {"targets": [\(Self.target)], "receivers": [{"name": "w", "type": "webhook", "url": "http://h/",
             "headers": {"X-Token": "\(value)"}}]}
            """
        #expect(mistake(text)?.location?.description == "$.receivers[0].headers.X-Token")
    }

    @Test func aHugeBadValueIsShortenedInTheMessage() throws {
        let huge = String(repeating: "x", count: 1_000_000)
        let error = try #require(mistake(#"{"poll_interval": "\#(huge)", "targets": [\#(Self.target)]}"#))
        #expect(error.description.utf8.count < 400)
    }

    @Test func invalidUTF8IsNamedByLineAndColumn() throws {
        let bytes = Array(#"{"targets": [{"name": "k"#.utf8) + [0xFF] + Array(#"", "url": "http://h/"}]}"#.utf8)
        let sources = KeawatchConfig.Sources(environment: [:], readFile: { _ in bytes }, fileExists: { _ in true })
        #expect(
            throws: LocatedErrors([
                LocatedError(
                    file: Self.file,
                    location: .line(1, column: 25),
                    message: "expected UTF-8 text (this byte is not UTF-8)"
                )
            ])
        ) {
            try KeawatchConfig.load(file: Self.file, sources: sources)
        }
    }

    /// The real file system: what `check` and a reload read.
    @Test func specialFilesAreNamedForWhatTheyAre() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kw-special-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/fifo.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        let loop = directory + "/loop.json"
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        for (path, reason) in [
            (directory, "is a directory"), (fifo, "is not a regular file"), ("/dev/null", "is not a regular file"),
            (loop, "too many levels of symbolic links"), (directory + "/none.json", "no such file"),
        ] {
            #expect(throws: LocatedErrors([LocatedError(file: path, message: "cannot read the file (\(reason))")])) {
                try KeawatchConfig.load(file: path)
            }
        }
    }
}

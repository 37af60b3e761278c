import KeawatchCurl
import KeawatchDaemon
import KeawatchEngine
import KeawatchModel
import KeawatchPolling
import Testing

@Suite struct ConfigLoadingTests {
    static let secretValue = "pa55-word-never-printed"

    static func sources(_ files: [String: String], environment: [String: String] = [:]) -> KeawatchConfig.Sources {
        KeawatchConfig.Sources(
            environment: environment,
            readFile: { path in
                guard let text = files[path] else { throw TestFileMissing() }
                return Array(text.utf8)
            },
            fileExists: { files[$0] != nil }
        )
    }

    struct TestFileMissing: Error, CustomStringConvertible {
        var description: String { "no such file" }
    }

    func load(
        _ text: String,
        files: [String: String] = [:],
        environment: [String: String] = [:]
    ) throws(LocatedErrors)
        -> KeawatchConfig
    {
        var all = files
        all["/etc/keawatch/config.json"] = text
        return try KeawatchConfig.load(
            file: "/etc/keawatch/config.json",
            sources: Self.sources(all, environment: environment)
        )
    }

    @Test func validConfigLoadsWithDefaultsAndResolvedSecrets() throws {
        let config = try load(
            """
            {"poll_interval": "2s", "targets": [
              {"name": "kea-1", "url": "http://127.0.0.11:8000/", "username": "admin", "password_file": "kea.pass"},
              {"name": "kea-2", "url": "https://kea-2.example:8000/", "service": null, "timeout": 1.5,
               "username": "admin", "password_env": "KEA_PASSWORD", "ca_file": "/etc/ssl/ca.pem"}]}
            """,
            files: ["/etc/keawatch/kea.pass": "\(Self.secretValue)\n", "/etc/ssl/ca.pem": "PEM"],
            environment: ["KEA_PASSWORD": "from-env"]
        )
        #expect(config.pollInterval == .seconds(2))
        #expect(config.targets[0].service == "dhcp4")
        #expect(config.targets[0].timeout == .seconds(5))
        #expect(config.targets[0].credentials?.password.value == Self.secretValue)
        #expect(config.targets[1].service == nil)
        #expect(config.targets[1].timeout == .milliseconds(1500))
        #expect(config.targets[1].credentials?.password.value == "from-env")
        #expect(config.targets[1].tls.caFile == "/etc/ssl/ca.pem")
        #expect(config.targets[1].tls.insecureSkipVerify == false)
    }

    @Test func statisticsArePolledEveryMinuteUnlessATargetSaysOtherwise() throws {
        let config = try load(
            """
            {"targets": [{"name": "a", "url": "http://h/"}, {"name": "b", "url": "http://h/", "statistics_interval": "10s"},
                         {"name": "c", "url": "http://h/", "statistics_interval": "off"}]}
            """
        )
        #expect(config.targets.map(\.statisticsInterval) == [.seconds(60), .seconds(10), nil])
        let off = try load(#"{"statistics_interval": "off", "targets": [{"name": "a", "url": "http://h/"}]}"#)
        #expect(off.targets[0].statisticsInterval == nil)
    }

    @Test(arguments: [
        ("{\"targets\": [}", "/etc/keawatch/config.json: line 1, column 14: expected a JSON value"),
        ("{}", "/etc/keawatch/config.json: $.targets: expected an array of at least one target"),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"http://h/\"}], \"pol_interval\": \"5s\"}",
            "/etc/keawatch/config.json: $.pol_interval: expected no such key (known keys: api_token_env, api_token_file, config_interval, heartbeat, inhibit, listen, maintenance_silences, pairs, poll_interval, receivers, routes, rules, self_alerts, state_dir, statistics_interval, targets)"
        ),
        (
            "{\"poll_interval\": \"5 s\", \"targets\": [{\"name\": \"a\", \"url\": \"http://h/\"}]}",
            "/etc/keawatch/config.json: $.poll_interval: expected a duration from 100ms to 3650d (10 years) such as \"500ms\", \"5s\", \"1m30s\", \"2d\" or a number of seconds, found \"5 s\""
        ),
        (
            "{\"targets\": [{\"url\": \"http://h/\"}]}",
            "/etc/keawatch/config.json: $.targets[0].name: expected a string, found nothing"
        ),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"ftp://h/\"}]}",
            "/etc/keawatch/config.json: $.targets[0].url: expected a URL with scheme http or https and a port from 1 to 65535, found \"ftp://h/\""
        ),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"http://h/\"}, {\"name\": \"a\", \"url\": \"http://i/\"}]}",
            "/etc/keawatch/config.json: $.targets[1].name: expected a name no other target has, found \"a\""
        ),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"http://h/\", \"username\": \"u\", \"password_env\": \"NOPE\"}]}",
            "/etc/keawatch/config.json: $.targets[0].password_env: expected the name of a set environment variable, found \"NOPE\", which is not set"
        ),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"http://h/\", \"username\": \"u\", \"password_file\": \"missing\"}]}",
            "/etc/keawatch/config.json: $.targets[0].password_file: expected a readable file, found \"/etc/keawatch/missing\" (no such file)"
        ),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"http://h/\"}], \"rules\": [\"missing.json\"]}",
            "/etc/keawatch/config.json: $.rules[0]: expected a rule file or directory, found \"/etc/keawatch/missing.json\""
        ),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"http://h/\"}], \"pairs\": [{\"targets\": [\"a\", \"b\"]}]}",
            "/etc/keawatch/config.json: $.pairs[0].targets[1]: expected the name of a target, found \"b\""
        ),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"http://h/\", \"timeout\": \"0s\"}]}",
            "/etc/keawatch/config.json: $.targets[0].timeout: expected a duration from 1ms to 1h such as \"500ms\", \"5s\", \"1m30s\", \"2d\" or a number of seconds, found \"0s\""
        ),
        (
            "{\"statistics_interval\": \"500ms\", \"targets\": [{\"name\": \"a\", \"url\": \"http://h/\"}]}",
            "/etc/keawatch/config.json: $.statistics_interval: expected a duration from 1s to 24h such as \"500ms\", \"5s\", \"1m30s\", \"2d\" or a number of seconds, or \"off\", found \"500ms\""
        ),
        (
            "{\"targets\": [{\"name\": \"a\", \"url\": \"http://h/\", \"statistics_interval\": \"never\"}]}",
            "/etc/keawatch/config.json: $.targets[0].statistics_interval: expected a duration from 1s to 24h such as \"500ms\", \"5s\", \"1m30s\", \"2d\" or a number of seconds, or \"off\", found \"never\""
        ),
    ])
    func mistakesNameFilePathAndExpectation(text: String, message: String) {
        #expect(throws: LocatedErrors.self) { try load(text) }
        do {
            _ = try load(text)
        } catch {
            #expect(error.description == message)
            #expect(error.count == 1)
        }
    }

    @Test func rulesResolveAgainstTheConfigDirectoryAndPairsAreDeclared() throws {
        let config = try load(
            """
            {"targets": [{"name": "kea-1", "url": "http://h1/"}, {"name": "kea-2", "url": "http://h2/"}],
             "rules": ["rules/kea-ha.json", "/opt/rules"], "pairs": [{"name": "site-a", "targets": ["kea-1", "kea-2"]}]}
            """,
            files: ["/etc/keawatch/rules/kea-ha.json": "{}", "/opt/rules": ""]
        )
        #expect(config.rulePaths == ["/etc/keawatch/rules/kea-ha.json", "/opt/rules"])
        #expect(config.pairs == [DeclaredPair(name: "site-a", targets: ["kea-1", "kea-2"])])
    }

    @Test func credentialsInURLsAreRejectedWithoutEchoingThem() {
        do {
            _ = try load("{\"targets\": [{\"name\": \"a\", \"url\": \"http://admin:\(Self.secretValue)@h/\"}]}")
            Issue.record("accepted a URL with credentials")
        } catch {
            #expect(error.description.contains("without credentials"))
            #expect(!error.description.contains(Self.secretValue))
        }
    }

    @Test func agentSettingsHaveSafeDefaults() throws {
        let config = try load(#"{"targets": [{"name": "kea-1", "url": "http://192.0.2.1:8000/"}]}"#)
        #expect(config.agent.listen == ListenAddress(host: "127.0.0.1", port: 9547))
        #expect(config.agent.stateDirectory == "/var/lib/keawatch")
        #expect(config.agent.apiToken == nil)
        #expect(config.agent.maintenanceSilences)
    }

    @Test func listeningBeyondLoopbackRequiresAToken() throws {
        let text = #"{"listen": "0.0.0.0:9547", "targets": [{"name": "kea-1", "url": "http://192.0.2.1:8000/"}]}"#
        #expect(throws: LocatedErrors.self) { try load(text) }
        do {
            _ = try load(text)
        } catch {
            #expect(error.map(\.location?.description) == ["$.api_token_file"])
            #expect(error.first?.message.contains("not loopback") == true)
        }
        let withToken = try load(
            #"{"listen": "[::]:9547", "api_token_env": "TOKEN", "targets": [{"name": "k", "url": "http://192.0.2.1/"}]}"#,
            environment: ["TOKEN": Self.secretValue]
        )
        #expect(withToken.agent.listen == ListenAddress(host: "::", port: 9547))
        #expect(withToken.agent.apiToken?.value == Self.secretValue)
    }

    @Test func aMalformedListenAddressOrHeartbeatURLIsNamedWithoutEchoingTheSecret() throws {
        do {
            _ = try load(#"{"listen": "localhost", "targets": [{"name": "k", "url": "http://192.0.2.1/"}]}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.map(\.location?.description) == ["$.listen"])
        }
        do {
            _ = try load(
                #"{"heartbeat": {"url_env": "HB"}, "targets": [{"name": "k", "url": "http://192.0.2.1/"}]}"#,
                environment: ["HB": "ftp://\(Self.secretValue)"]
            )
            Issue.record("accepted")
        } catch {
            #expect(error.map(\.location?.description) == ["$.heartbeat.url"])
            #expect(!error.description.contains(Self.secretValue))
        }
    }
}

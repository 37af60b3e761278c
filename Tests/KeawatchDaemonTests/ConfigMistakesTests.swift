import KeawatchDaemon
import KeawatchModel
import Testing

/// `keawatch check` and a reload report every mistake of a config in one run, in document order,
/// each naming the file, the JSON path and what was expected.
@Suite struct ConfigMistakesTests {
    static let file = "/etc/keawatch/config.json"

    func mistakes(_ text: String, files: [String: String] = [:]) -> [String] {
        var all = files
        all[Self.file] = text
        do {
            _ = try KeawatchConfig.load(file: Self.file, sources: ConfigLoadingTests.sources(all))
            return []
        } catch {
            return error.map(\.description)
        }
    }

    @Test func anUnknownKeyAndAPasswordWithoutAUserNameAreBothReported() {
        let text = """
            {"targets": [{"name": "kea-1", "url": "http://192.0.2.1:8000/", "password_file": "kea.pass",
                          "timout": "2s"}]}
            """
        #expect(
            mistakes(text, files: ["/etc/keawatch/kea.pass": "secret"]) == [
                "/etc/keawatch/config.json: $.targets[0].timout: expected no such key (known keys: ca_file, cert_file, insecure_skip_verify, key_file, max_response_bytes, name, password_env, password_file, service, statistics_interval, timeout, url, username)",
                "/etc/keawatch/config.json: $.targets[0].username: expected a user name to go with the password",
            ]
        )
    }

    @Test func mistakesOfEveryKindAreListedInDocumentOrder() {
        // Found in the loader's order (unknown keys last of all), reported in the order a person
        // reads the file; the missing api_token_file comes after the members of its object.
        let text = """
            {
              "pol_interval": "5s",
              "poll_interval": "5 s",
              "targets": [
                {"name": "kea-1", "url": "http://192.0.2.1:8000/", "username": "keawatch", "password_env": "UNSET"},
                {"name": "kea-1", "url": "ftp://192.0.2.2/"}
              ],
              "rules": ["missing.json"],
              "receivers": [{"name": "mail", "type": "sms"}],
              "routes": [{"receivers": ["mail", "pager"], "group_wait": "soon"}],
              "listen": "0.0.0.0:9547"
            }
            """
        #expect(
            mistakes(text) == [
                "/etc/keawatch/config.json: $.pol_interval: expected no such key (known keys: api_token_env, api_token_file, config_interval, heartbeat, inhibit, listen, maintenance_silences, pairs, poll_interval, receivers, routes, rules, self_alerts, state_dir, statistics_interval, targets)",
                #"/etc/keawatch/config.json: $.poll_interval: expected a duration from 100ms to 3650d (10 years) such as "500ms", "5s", "1m30s", "2d" or a number of seconds, found "5 s""#,
                #"/etc/keawatch/config.json: $.targets[0].password_env: expected the name of a set environment variable, found "UNSET", which is not set"#,
                #"/etc/keawatch/config.json: $.targets[1].name: expected a name no other target has, found "kea-1""#,
                #"/etc/keawatch/config.json: $.targets[1].url: expected a URL with scheme http or https and a port from 1 to 65535, found "ftp://192.0.2.2/""#,
                #"/etc/keawatch/config.json: $.rules[0]: expected a rule file or directory, found "/etc/keawatch/missing.json""#,
                #"/etc/keawatch/config.json: $.receivers[0].type: expected one of webhook, slack, teams, discord, ntfy, pagerduty, alertmanager, email, found "sms""#,
                #"/etc/keawatch/config.json: $.routes[0].receivers[1]: expected the name of a configured receiver (mail), found "pager""#,
                #"/etc/keawatch/config.json: $.routes[0].group_wait: expected a duration from 0s to 3650d (10 years) such as "500ms", "5s", "1m30s", "2d" or a number of seconds, found "soon""#,
                "/etc/keawatch/config.json: $.api_token_file: expected a bearer token (api_token_file or api_token_env) because listen (0.0.0.0:9547) is not loopback",
            ]
        )
    }

    @Test func aMistakeInOneReceiverOrTargetIsNotRepeatedByEveryReferenceToIt() {
        let text = """
            {"targets": [{"name": "a", "url": "http://h/", "timeout": "0s"}, {"name": "b", "url": "http://i/"}],
             "pairs": [{"targets": ["a", "b"]}],
             "receivers": [{"name": "hook", "type": "webhook", "url": "ftp://x/"}],
             "routes": [{"receivers": ["hook"]}]}
            """
        #expect(
            mistakes(text) == [
                #"/etc/keawatch/config.json: $.targets[0].timeout: expected a duration from 1ms to 1h such as "500ms", "5s", "1m30s", "2d" or a number of seconds, found "0s""#,
                #"/etc/keawatch/config.json: $.receivers[0].url: expected a URL with scheme http or https and a port from 1 to 65535, found a URL with scheme "ftp" (the rest is not shown: it is a secret)"#,
            ]
        )
    }

    @Test func anUnknownReceiverTypeNamesTheKnownOnesAndNotItsOtherKeys() {
        let text = """
            {"targets": [{"name": "a", "url": "http://h/"}],
             "receivers": [{"name": "x", "type": "matrix", "room": "!abc", "timeout": "0s"}]}
            """
        #expect(
            mistakes(text) == [
                #"/etc/keawatch/config.json: $.receivers[0].type: expected one of webhook, slack, teams, discord, ntfy, pagerduty, alertmanager, email, found "matrix""#,
                #"/etc/keawatch/config.json: $.receivers[0].timeout: expected a duration from 1ms to 1h such as "500ms", "5s", "1m30s", "2d" or a number of seconds, found "0s""#,
            ]
        )
    }

    @Test func aSyntaxErrorIsTheOnlyMistakeOfItsFile() {
        #expect(
            mistakes("{\"pol_interval\": 1,\n \"targets\": [}") == [
                "/etc/keawatch/config.json: line 2, column 14: expected a JSON value"
            ]
        )
    }
}

extension ConfigMistakesTests {
    @Test(arguments: [
        (
            #"{"name": "k", "url": "http://h/", "username": null, "password_env": "P"}"#,
            "$.targets[0].username: expected a user name to go with the password"
        ),
        (
            #"{"name": "k", "url": "http://h/", "username": 7, "password_env": "P"}"#,
            "$.targets[0].username: expected a string, found a number"
        ),
        (
            #"{"name": "k", "url": "http://h/", "cert_file": null, "key_file": "k.pem"}"#,
            "$.targets[0].cert_file: expected cert_file and key_file together"
        ),
        (
            #"{"name": "k", "url": "http://h/", "cert_file": "missing.pem"}"#,
            #"$.targets[0].cert_file: expected a readable file, found "/etc/keawatch/missing.pem"\#n"#
                + "/etc/keawatch/config.json: $.targets[0].key_file: expected cert_file and key_file together"
        ),
    ])
    func credentialsAndCertificatesAreNamedOnceEach(target: String, message: String) {
        let text = #"{"targets": [\#(target)], "pairs": [{"targets": null}]}"#
        #expect(
            mistakes(text, files: ["/etc/keawatch/k.pem": "PEM"]).joined(separator: "\n")
                == [
                    "/etc/keawatch/config.json: " + message,
                    "/etc/keawatch/config.json: $.pairs[0].targets: expected two different target names",
                ].joined(separator: "\n")
        )
    }
}

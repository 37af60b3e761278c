import ArgumentParser
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `keawatch silence add|list|expire`: talks to the running agent's endpoint (`listen` and the
/// API token from the same config file).
struct SilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Add, list or expire silences on the running agent.",
        subcommands: [Add.self, List.self, Expire.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Silence the alerts matching every matcher (name=value, name!=value, name=~regex, name!~regex)."
        )
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Label matchers, e.g. pair=kea-1+kea-2 alertname=KeaHAPartnerDown.")
        var matchers: [String]
        @Option(help: "How long (e.g. 30m, 2h).") var duration: String = "1h"
        @Option(help: "Why (shown in the status page).") var comment: String = ""
        @Option(help: "Who.") var author: String = ProcessInfoUser.name

        func run() async throws {
            for matcher in matchers where LabelMatcherCheck.invalid(matcher) {
                throw ValidationError("\(matcher): expected name=value, name!=value, name=~regex or name!~regex")
            }
            let body = JSONValue.object(
                JSONObject([
                    ("matchers", .array(matchers.map(JSONValue.string))), ("duration", .string(duration)),
                    ("comment", .string(comment)), ("created_by", .string(author)),
                ])
            )
            let reply = try await AgentClient(configFile: options.config).send(
                .post,
                "/api/v1/silences",
                body: Array(body.serialized.utf8)
            )
            print(
                TerminalText.safeLine(
                    "silence \(reply["id"]?.stringValue ?? "?") until \(reply["ends_at"]?.stringValue ?? "?")"
                )
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List silences (active and recently ended).")
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let reply = try await AgentClient(configFile: options.config).send(.get, "/api/v1/silences")
            for silence in reply.arrayValue ?? [] {
                let matchers = (silence["matchers"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " ")
                let state = silence["active"]?.boolValue == true ? "active" : "ended"
                print(
                    TerminalText.safeLine(
                        "\(silence["id"]?.stringValue ?? "")  \(state)  until \(silence["ends_at"]?.stringValue ?? "")  "
                            + "\(matchers)  \(silence["created_by"]?.stringValue ?? ""): "
                            + (silence["comment"]?.stringValue ?? "")
                    )
                )
            }
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a silence now.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The silence id (from `silence list`).") var id: String

        func run() async throws {
            _ = try await AgentClient(configFile: options.config).send(.delete, "/api/v1/silences/\(id)")
            print(TerminalText.safeLine("silence \(id) expired"))
        }
    }
}

enum LabelMatcherCheck {
    static func invalid(_ text: String) -> Bool {
        !["=", "!=", "=~", "!~"].contains { text.contains($0) } || text.hasPrefix("=") || text.hasPrefix("!")
    }
}

enum ProcessInfoUser {
    static var name: String {
        ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }
}

/// A libcurl client for the agent's endpoint.
struct AgentClient {
    enum Method { case get, post, delete }

    let baseURL: String
    let token: Secret?

    init(configFile: String) throws {
        let endpoint: (listen: ListenAddress?, token: Secret?)
        do throws(LocatedErrors) {
            endpoint = try KeawatchConfig.loadEndpoint(file: configFile)
        } catch {
            printMistakes(Array(error), of: "configuration")
            throw exitConfigInvalid
        }
        guard let listen = endpoint.listen else {
            printError("keawatch: \(configFile): listen is null: the agent has no endpoint to talk to")
            throw ExitCode.failure
        }
        let host = listen.host == "0.0.0.0" ? "127.0.0.1" : listen.host == "::" ? "::1" : listen.host
        baseURL = "http://" + (host.contains(":") ? "[\(host)]" : host) + ":\(listen.port)"
        token = endpoint.token
    }

    func send(_ method: Method, _ path: String, body: [UInt8] = []) async throws -> JSONValue {
        var headers = ["Accept: application/json"]
        if let token { headers.append("Authorization: Bearer \(token.value)") }
        let payload: CurlRequest.Payload =
            switch method {
            case .get: .http(method: .get, headers: headers, body: [])
            case .post: .http(method: .post, headers: headers + ["Content-Type: application/json"], body: body)
            case .delete: .http(method: .delete, headers: headers, body: [])
            }
        let response: CurlResponse
        do {
            response = try await CurlTransport(maxConcurrentTransfers: 1).perform(
                CurlRequest(url: baseURL + path, payload: payload, timeout: .seconds(10))
            )
        } catch {
            printError("keawatch: cannot reach the agent at \(baseURL): \(error)")
            throw ExitCode.failure
        }
        let reply = (try? JSONValue.parse(response.body)) ?? .null
        guard (200..<300).contains(response.status) else {
            printError("keawatch: the agent answered \(response.status): \(reply["error"]?.stringValue ?? "")")
            throw ExitCode.failure
        }
        return reply
    }
}

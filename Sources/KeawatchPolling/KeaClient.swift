package import KeawatchCurl
package import KeawatchModel

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Sends control commands to Kea servers and turns every outcome, good or bad, into an observation.
package struct KeaClient: Sendable {
    private let transport: any Transport
    private let now: @Sendable () -> Date

    /// - Parameter now: the wall clock that stamps observations (injected so tests control it).
    package init(transport: any Transport, now: @escaping @Sendable () -> Date = { Date() }) {
        self.transport = transport
        self.now = now
    }

    /// The injected wall clock's reading, for observations made in extensions.
    func currentDate() -> Date { now() }

    /// Polls `status-get`. Never throws: a failure is an observation with a kind and a reason.
    package func poll(_ target: KeaTarget) async -> PollResult {
        let clock = ContinuousClock()
        let started = clock.now
        let answer = await send(.statusGet, to: target)
        let at = now()
        let duration = clock.now - started
        switch answer {
        case .failure(let failure):
            return PollResult(
                observation: Observation(target: target.name, at: at, outcome: .failure(failure)),
                rawResponse: nil,
                duration: duration
            )
        case .success(let (body, raw)):
            let outcome: Observation.Outcome =
                switch KeaStatus.decode(response: body) {
                case .success(let status): .status(status)
                case .failure(let failure): .failure(failure.scrubbed(for: target))
                }
            return PollResult(
                observation: Observation(target: target.name, at: at, outcome: outcome),
                rawResponse: raw,
                duration: duration
            )
        }
    }

    /// The daemon's version (`version-get`'s `text`), e.g. "2.2.0".
    package func version(of target: KeaTarget) async -> Result<String, PollFailure> {
        switch await send(.versionGet, to: target) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let (body, _)):
            let answer = body.arrayValue?.first ?? body
            guard answer["result"]?.intValue == 0, let text = answer["text"]?.stringValue else {
                let text = answer["text"]?.stringValue ?? "no version in the answer"
                return .failure(PollFailure(kind: .keaError, message: text).scrubbed(for: target))
            }
            return .success(text)
        }
    }

    /// Sends one command; returns Kea's body parsed and as received, or why there is none (its
    /// message scrubbed of the target's credentials and shortened: it quotes the server).
    /// `arguments`: the command's `arguments` object as JSON text, when it takes any.
    /// `pruning`: parse only what it keeps (see `JSONPruning`).
    package func send(
        _ command: KeaCommand,
        to target: KeaTarget,
        arguments: String? = nil,
        pruning: JSONPruning? = nil
    ) async -> Result<(JSONValue, [UInt8]), PollFailure> {
        await exchange(command, with: target, arguments: arguments, pruning: pruning).mapError {
            $0.scrubbed(for: target)
        }
    }

    /// Sends one command and returns the body of a 200 answer unparsed (for a caller that looks at
    /// the bytes first, e.g. to skip an unchanged `config-get`); any other answer is a failure.
    package func sendUnparsed(
        _ command: KeaCommand,
        to target: KeaTarget,
        arguments: String? = nil
    ) async -> Result<[UInt8], PollFailure> {
        await fetch(command, with: target, arguments: arguments, pruning: nil).mapError { $0.scrubbed(for: target) }
    }

    private func exchange(
        _ command: KeaCommand,
        with target: KeaTarget,
        arguments: String?,
        pruning: JSONPruning?
    ) async -> Result<(JSONValue, [UInt8]), PollFailure> {
        switch await fetch(command, with: target, arguments: arguments, pruning: pruning) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let body):
            return Self.parse(body, pruning: pruning).map { ($0, body) }
        }
    }

    /// A 200 answer's body, or why there is none.
    private func fetch(
        _ command: KeaCommand,
        with target: KeaTarget,
        arguments: String?,
        pruning: JSONPruning?
    ) async -> Result<[UInt8], PollFailure> {
        let request = CurlRequest.postJSON(
            url: target.url,
            body: command.body(service: target.service, arguments: arguments),
            timeout: target.timeout,
            tls: target.tls,
            credentials: target.credentials,
            maxResponseBytes: target.maxResponseBytes
        )
        let response: CurlResponse
        do {
            response = try await transport.perform(request)
        } catch {
            return .failure(PollFailure(transportError: error))
        }
        guard response.status == 200 else {
            let parsed = try? Self.parse(response.body, pruning: pruning).get()
            let text =
                parsed?.arrayValue?.first?["text"]?.stringValue
                ?? parsed?["text"]?.stringValue
                ?? PollFailure.excerpt(of: response.body)
            return .failure(PollFailure(kind: .httpStatus, message: "HTTP \(response.status): \(text)"))
        }
        return .success(response.body)
    }

    /// A body as JSON, or the `invalid-response` failure naming where it is not.
    package static func parse(_ body: [UInt8], pruning: JSONPruning? = nil) -> Result<JSONValue, PollFailure> {
        do throws(JSONSyntaxError) {
            if let pruning { return .success(try JSONValue.parse(body, pruning: pruning)) }
            return .success(try JSONValue.parse(body))
        } catch {
            let what = body.isEmpty ? "an empty body" : "not JSON (\(error))"
            return .failure(PollFailure(kind: .invalidResponse, message: "\(what): \(PollFailure.excerpt(of: body))"))
        }
    }
}

extension PollFailure {
    /// Without the target's credentials (a server may echo them), and no longer than a message should be.
    func scrubbed(for target: KeaTarget) -> PollFailure {
        let scrubber = SecretScrubber(credentials: target.credentials.map { [$0] } ?? [])
        return PollFailure(kind: kind, message: scrubber.scrub(message))
    }

    init(transportError: CurlError) {
        let kind: Kind =
            switch transportError {
            case .connectionRefused: .connectionRefused
            case .timeout: .timeout
            case .dns: .dns
            case .tls: .tls
            case .responseTooLarge: .responseTooLarge
            case .connectionLost: .connectionLost
            case .unsupportedProtocol, .authentication, .cancelled, .other: .transport
            }
        self.init(kind: kind, message: transportError.description)
    }

    /// The first bytes of a body, printable, for messages.
    static func excerpt(of body: [UInt8], limit: Int = 120) -> String {
        guard !body.isEmpty else { return "(empty body)" }
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
            .map { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) ? " " : String($0) }
            .joined()
        return body.count > limit ? text + "…" : text
    }
}

extension KeaStatus {
    /// Interprets a Kea response body: a Control Agent's array (one element per service) or a
    /// Kea ≥ 3.0 daemon's bare object. `result` ≠ 0 becomes a `kea-error` failure; a body of the
    /// wrong shape becomes `invalid-response`, naming the JSON path.
    package static func decode(response: JSONValue) -> Result<KeaStatus, PollFailure> {
        let answer: JSONValue
        let answerPath: JSONPath
        switch response {
        case .array(let elements):
            guard let first = elements.first else {
                return .failure(
                    PollFailure(kind: .invalidResponse, message: "$: expected one answer, found an empty array")
                )
            }
            answer = first
            answerPath = JSONPath.root.appending(0)
        case .object:
            answer = response
            answerPath = .root
        default:
            return .failure(
                PollFailure(
                    kind: .invalidResponse,
                    message: "$: expected an array or an object, found \(response.kindDescription)"
                )
            )
        }
        do {
            return try decode(answer: answer, at: answerPath)
        } catch {
            return .failure(PollFailure(kind: .invalidResponse, message: error.description))
        }
    }

    private static func decode(
        answer: JSONValue,
        at path: JSONPath
    ) throws(JSONShapeError) -> Result<KeaStatus, PollFailure> {
        var reader = try JSONObjectReader(answer, at: path)
        guard let resultValue = reader.value("result"), let result = resultValue.intValue else {
            throw JSONShapeError(path: path.appending("result"), expected: "an integer result code")
        }
        guard result == 0 else {
            let text = (try? reader.string("text")) ?? nil
            return .failure(PollFailure(kind: .keaError, message: "result \(result): \(text ?? "no text")"))
        }
        guard let argumentsValue = reader.value("arguments") else {
            throw JSONShapeError(path: path.appending("arguments"), expected: "an object", found: "nothing")
        }
        var arguments = try JSONObjectReader(argumentsValue, at: path.appending("arguments"))
        var status = KeaStatus()
        status.pid = try arguments.integer("pid")
        status.uptime = try arguments.integer("uptime")
        status.reload = try arguments.integer("reload")
        let entries = try arguments.array("high-availability") ?? []
        status.droppedRelationships = max(0, entries.count - KeaStatus.maximumRelationships)
        for (index, entry) in entries.prefix(KeaStatus.maximumRelationships).enumerated() {
            let entryPath = path.appending("arguments").appending("high-availability").appending(index)
            status.relationships.append(try HARelationshipStatus(decoding: entry, at: entryPath))
        }
        if let state = arguments.value("dhcp-state") {
            status.dhcpState = try DHCPServiceState(decoding: state, at: arguments.path.appending("dhcp-state"))
        }
        if let sockets = arguments.value("sockets") {
            var reader = try JSONObjectReader(sockets, at: arguments.path.appending("sockets"))
            status.socketsStatus = try reader.requiredString("status")
            status.socketErrors = (try reader.strings("errors") ?? []).map { String($0.prefix(300)) }
        }
        return .success(status)
    }
}

extension HARelationshipStatus {
    init(decoding value: JSONValue, at path: JSONPath) throws(JSONShapeError) {
        var reader = try JSONObjectReader(value, at: path)
        mode = try reader.requiredString("ha-mode")
        var servers = try JSONObjectReader(
            try reader.require("ha-servers", expected: "an object"),
            at: path.appending("ha-servers")
        )
        local = try LocalServerStatus(
            decoding: try servers.require("local", expected: "an object"),
            at: servers.path.appending("local")
        )
        remote = try servers.value("remote").map { value throws(JSONShapeError) in
            try RemoteServerStatus(decoding: value, at: servers.path.appending("remote"))
        }
    }
}

extension LocalServerStatus {
    init(decoding value: JSONValue, at path: JSONPath) throws(JSONShapeError) {
        var reader = try JSONObjectReader(value, at: path)
        role = try reader.string("role") ?? ""
        state = HAState(rawValue: try reader.requiredString("state"))
        scopes = try reader.strings("scopes") ?? []
        serverName = try reader.string("server-name")
        systemTime = try reader.optionalString("system-time")
        otherFields = reader.unread
    }
}

extension DHCPServiceState {
    init(decoding value: JSONValue, at path: JSONPath) throws(JSONShapeError) {
        var reader = try JSONObjectReader(value, at: path)
        func origins(_ key: String) throws(JSONShapeError) -> [Int] {
            guard let list = try reader.array(key) else { return [] }
            var found: [Int] = []
            for (index, element) in list.enumerated() {
                guard let origin = element.intValue else {
                    throw JSONShapeError(
                        path: path.appending(key).appending(index),
                        expected: "an integer origin",
                        found: element.kindDescription
                    )
                }
                found.append(origin)
            }
            return found
        }
        self.init(
            globallyDisabled: try reader.bool("globally-disabled") ?? false,
            disabledByUser: try reader.bool("disabled-by-user") ?? false,
            disabledByLocalCommand: try origins("disabled-by-local-command"),
            disabledByRemoteCommand: try origins("disabled-by-remote-command"),
            disabledByDatabase: try origins("disabled-by-db-connection")
        )
    }
}

extension RemoteServerStatus {
    init(decoding value: JSONValue, at path: JSONPath) throws(JSONShapeError) {
        var reader = try JSONObjectReader(value, at: path)
        role = try reader.string("role") ?? ""
        lastState = HAState(rawValue: try reader.string("last-state") ?? "")
        lastScopes = try reader.strings("last-scopes") ?? []
        age = try reader.integer("age")
        inTouch = try reader.bool("in-touch") ?? false
        communicationInterrupted = try reader.bool("communication-interrupted") ?? false
        connectingClients = try reader.integer("connecting-clients") ?? 0
        unackedClients = try reader.integer("unacked-clients") ?? 0
        unackedClientsLeft = try reader.integer("unacked-clients-left") ?? 0
        analyzedPackets = try reader.integer("analyzed-packets") ?? 0
        serverName = try reader.string("server-name")
        systemTime = try reader.optionalString("system-time")
        // `value` reads null as absent: tell them apart first (null is Kea 3 before the first heartbeat).
        let skewIsNull = reader.members["clock-skew"] == .null
        switch reader.value("clock-skew") {
        case .none: clockSkew = skewIsNull ? .notMeasuredYet : .notReported
        case let value?:
            guard let seconds = value.intValue else {
                throw JSONShapeError(
                    path: path.appending("clock-skew"),
                    expected: "whole seconds or null",
                    found: value.kindDescription
                )
            }
            clockSkew = .seconds(seconds)
        }
        otherFields = reader.unread
    }
}

extension JSONObjectReader {
    /// A string member that may be `null` (Kea 3 reports `system-time: null` before the first heartbeat).
    mutating func optionalString(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = value(key) else { return nil }
        if value == .null { return nil }
        guard let text = value.stringValue else {
            throw JSONShapeError(path: path.appending(key), expected: "a string or null", found: value.kindDescription)
        }
        return text
    }

    mutating func integer(_ key: String) throws(JSONShapeError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let integer = value.intValue else {
            throw JSONShapeError(path: path.appending(key), expected: "an integer", found: value.kindDescription)
        }
        return integer
    }
}

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// One line of the history format (JSON Lines): a poll result with Kea's body exactly as received,
/// or the failure that replaced it.
package struct HistoryRecord: Sendable, Equatable {
    package enum Content: Sendable, Equatable {
        /// Kea's response body: parsed JSON, never rewritten.
        case response(JSONValue)
        case error(PollFailure)
    }

    package var at: Date
    package var target: String
    package var content: Content

    package init(at: Date, target: String, content: Content) {
        self.at = at
        self.target = target
        self.content = content
    }

    /// The observation this line stands for: the same decoding the poller applies.
    package var observation: Observation {
        switch content {
        case .response(let body):
            switch KeaStatus.decode(response: body) {
            case .success(let status): Observation(target: target, at: at, outcome: .status(status))
            case .failure(let failure): Observation(target: target, at: at, outcome: .failure(failure))
            }
        case .error(let failure):
            Observation(target: target, at: at, outcome: .failure(failure))
        }
    }

    /// Writes one line (without the newline). `rawResponse`, when given, is the body as received and
    /// goes out byte for byte, but for line breaks, which JSON allows only as white space.
    package static func line(at: Date, target: String, rawResponse: [UInt8]) -> String {
        var line = "{\"at\":\"\(Timestamp.format(at))\",\"target\":"
        JSONValue.writeString(target, to: &line)
        line += ",\"response\":"
        if rawResponse.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            line += String(decoding: rawResponse.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }, as: UTF8.self)
        } else {
            line += String(decoding: rawResponse, as: UTF8.self)
        }
        line += "}"
        return line
    }

    /// The line for this record; a `response` is serialized from its parsed form.
    package var line: String {
        var line = "{\"at\":\"\(Timestamp.format(at))\",\"target\":"
        JSONValue.writeString(target, to: &line)
        switch content {
        case .response(let body):
            line += ",\"response\":"
            body.write(to: &line)
        case .error(let failure):
            line += ",\"error\":{\"kind\":"
            JSONValue.writeString(failure.kind.rawValue, to: &line)
            line += ",\"message\":"
            JSONValue.writeString(failure.message, to: &line)
            line += "}"
        }
        line += "}"
        return line
    }

    /// Reads one line; errors name the JSON path within the line.
    package init(line: String) throws(HistoryFormatError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(line)
        } catch {
            throw HistoryFormatError(message: error.description)
        }
        do throws(JSONShapeError) {
            var reader = try JSONObjectReader(value, at: .root)
            let atText = try reader.requiredString("at")
            guard let at = Timestamp.parse(atText) else {
                throw JSONShapeError(
                    path: .root.appending("at"),
                    expected: "an RFC 3339 timestamp",
                    found: "\"\(atText)\""
                )
            }
            self.at = at
            target = try reader.requiredString("target")
            if let response = reader.value("response") {
                content = .response(response)
            } else if let errorValue = reader.value("error") {
                var error = try JSONObjectReader(errorValue, at: .root.appending("error"))
                let kindText = try error.requiredString("kind")
                let kind = PollFailure.Kind(rawValue: kindText) ?? .transport
                content = .error(PollFailure(kind: kind, message: try error.string("message") ?? ""))
                try error.finish(known: ["kind", "message"])
            } else {
                throw JSONShapeError(path: .root, expected: "a \"response\" or an \"error\" member")
            }
            try reader.finish(known: ["at", "target", "response", "error"])
        } catch {
            throw HistoryFormatError(message: error.description)
        }
    }
}

/// A history line that cannot be read.
package struct HistoryFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(message: String) {
        self.message = message
    }

    package var description: String { message }
}

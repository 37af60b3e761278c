/// The one answer in a Kea response body (a Control Agent's one-element array, or a Kea ≥ 3.0
/// daemon's bare object) and its `arguments`, or the failure it stands for: `result` ≠ 0 is a
/// `kea-error` (result 2 is Kea's "command not supported", e.g. a hook that is not loaded), any
/// other shape an `invalid-response` naming the JSON path.
package enum KeaAnswer {
    /// Kea's result code for an unknown command.
    package static let unsupportedCommand = 2

    package static func arguments(of response: JSONValue) -> Result<(JSONValue, JSONPath), PollFailure> {
        let answer: JSONValue
        let path: JSONPath
        switch response {
        case .array(let elements):
            guard let first = elements.first else {
                return .failure(
                    PollFailure(kind: .invalidResponse, message: "$: expected one answer, found an empty array")
                )
            }
            (answer, path) = (first, JSONPath.root.appending(0))
        case .object:
            (answer, path) = (response, .root)
        default:
            return .failure(
                PollFailure(
                    kind: .invalidResponse,
                    message: "$: expected an array or an object, found \(response.kindDescription)"
                )
            )
        }
        guard case .object = answer else {
            return .failure(
                PollFailure(
                    kind: .invalidResponse,
                    message: "\(path): expected an object, found \(answer.kindDescription)"
                )
            )
        }
        guard let result = answer["result"]?.intValue else {
            return .failure(
                PollFailure(
                    kind: .invalidResponse,
                    message: "\(path.appending("result")): expected an integer result code"
                )
            )
        }
        guard result == 0 else {
            let text = answer["text"]?.stringValue.map { String($0.prefix(200)) } ?? "no text"
            return .failure(PollFailure(kind: .keaError, message: "result \(result): \(text)"))
        }
        guard let arguments = answer["arguments"], case .object = arguments else {
            return .failure(
                PollFailure(
                    kind: .invalidResponse,
                    message: "\(path.appending("arguments")): expected an object, found "
                        + (answer["arguments"]?.kindDescription ?? "nothing")
                )
            )
        }
        return .success((arguments, path.appending("arguments")))
    }
}

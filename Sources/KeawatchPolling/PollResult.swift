public import KeawatchModel

/// One poll: the observation, plus the body exactly as received when it was JSON over HTTP 200
/// (what `record` writes to the history).
public struct PollResult: Sendable {
    public var observation: Observation
    public var rawResponse: [UInt8]?
    public var duration: Duration

    public init(observation: Observation, rawResponse: [UInt8]?, duration: Duration) {
        self.observation = observation
        self.rawResponse = rawResponse
        self.duration = duration
    }

    /// The history line for this poll.
    public var historyLine: String {
        if let rawResponse {
            return HistoryRecord.line(at: observation.at, target: observation.target, rawResponse: rawResponse)
        }
        let failure = observation.failure ?? PollFailure(kind: .transport, message: "no response")
        return HistoryRecord(at: observation.at, target: observation.target, content: .error(failure)).line
    }
}

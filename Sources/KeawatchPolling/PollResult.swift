package import KeawatchModel

/// One poll: the observation, plus the body exactly as received when it was JSON over HTTP 200
/// (what `record` writes to the history).
package struct PollResult: Sendable {
    package var observation: Observation
    package var rawResponse: [UInt8]?
    package var duration: Duration

    package init(observation: Observation, rawResponse: [UInt8]?, duration: Duration) {
        self.observation = observation
        self.rawResponse = rawResponse
        self.duration = duration
    }

    /// The history line for this poll.
    package var historyLine: String {
        if let rawResponse {
            return HistoryRecord.line(at: observation.at, target: observation.target, rawResponse: rawResponse)
        }
        let failure = observation.failure ?? PollFailure(kind: .transport, message: "no response")
        return HistoryRecord(at: observation.at, target: observation.target, content: .error(failure)).line
    }
}

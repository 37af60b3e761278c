/// Polls a set of targets once, concurrently; results come back in the targets' order.
public struct Poller: Sendable {
    private let client: KeaClient

    public init(client: KeaClient) {
        self.client = client
    }

    public func pollAll(_ targets: [KeaTarget]) async -> [PollResult] {
        await withTaskGroup(of: (Int, PollResult).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await client.poll(target)) }
            }
            var results = [PollResult?](repeating: nil, count: targets.count)
            for await (index, result) in group {
                results[index] = result
            }
            return results.compactMap { $0 }
        }
    }
}

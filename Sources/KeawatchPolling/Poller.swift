/// Polls a set of targets once, concurrently; results come back in the targets' order.
package struct Poller: Sendable {
    private let client: KeaClient

    package init(client: KeaClient) {
        self.client = client
    }

    package func pollAll(_ targets: [KeaTarget]) async -> [PollResult] {
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

/// What a subnet rule is about: one subnet (Kea's `subnet-id`) of a pair, or of a target that is
/// in no pair.
struct SubnetSubject: Sendable, Hashable {
    /// The pair's name, or the target's for a server outside any pair.
    var owner: String
    var subnet: Int

    var name: String { "\(owner)/subnet[\(subnet)]" }
}

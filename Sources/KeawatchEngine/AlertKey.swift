/// Which alert: a rule and the subject it is about.
struct AlertKey: Sendable, Hashable {
    enum Subject: Sendable, Hashable {
        case target(String)
        case relationship(String, Int)
        case pair(String)
    }

    var rule: String
    var subject: Subject
}

/// URLs fit for messages, logs and the status API. Anything before the last `@` could be user info
/// (a password may hold `/` or `@`), so all of it goes; a URL that is a secret itself (webhook URLs
/// carry their token in the path or query) keeps only its scheme and host.
package enum URLRedaction {
    package static func redact(_ text: String, secret: Bool) -> String {
        guard let separator = text.firstRange(of: "://") else { return secret ? "<url>" : text }
        let scheme = text[..<separator.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) })
        else { return secret ? "<url>" : text }
        var rest = text[separator.upperBound...]
        var userInfo = ""
        if let at = rest.lastIndex(of: "@") {
            rest = rest[rest.index(after: at)...]
            userInfo = "<redacted>@"
        }
        guard secret else { return "\(scheme)://\(userInfo)\(rest)" }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return "\(scheme)://\(authority)" + (rest.count > authority.count ? "/…" : "")
    }
}

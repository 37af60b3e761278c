import KeawatchModel

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// An RFC 5322 message: headers, and a multipart/alternative body (plain text + HTML), both
/// quoted-printable UTF-8. A resolve mail names its firing mail in `In-Reply-To`/`References`,
/// so that mail clients thread an alert's story.
package struct MailMessage: Sendable, Equatable {
    package var from: String
    package var to: [String]
    package var subject: String
    package var text: String
    package var html: String
    package var date: Date
    /// Without angle brackets, e.g. `e90ff0a79d187beb-1762975075120@keawatch`.
    package var messageID: String
    package var inReplyTo: String?
    package var extraHeaders: [(name: String, value: String)]

    package init(
        from: String,
        to: [String],
        subject: String,
        text: String,
        html: String,
        date: Date,
        messageID: String,
        inReplyTo: String? = nil,
        extraHeaders: [(name: String, value: String)] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.extraHeaders = extraHeaders
    }

    package static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.rendered == rhs.rendered
    }

    /// The message as sent: CRLF line endings, lines under 78 characters.
    package var rendered: [UInt8] {
        let boundary =
            "keawatch-"
            + String(
                messageID.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 },
                radix: 36
            )
        var headers: [(String, String)] = [
            ("Date", Self.rfc5322Date(date)),
            ("From", from),
            ("To", to.joined(separator: ", ")),
            ("Subject", Self.encodedWord(subject)),
            ("Message-ID", "<\(messageID)>"),
        ]
        if let inReplyTo {
            headers.append(("In-Reply-To", "<\(inReplyTo)>"))
            headers.append(("References", "<\(inReplyTo)>"))
        }
        headers += extraHeaders.map { ($0.name, $0.value) }
        headers += [
            ("MIME-Version", "1.0"),
            ("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""),
            ("Auto-Submitted", "auto-generated"),
        ]
        var out = ""
        for (name, value) in headers {
            out += "\(name): \(Self.sanitized(value))\r\n"
        }
        out += "\r\n"
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            out += "--\(boundary)\r\n"
            out += "Content-Type: \(type); charset=utf-8\r\n"
            out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            out += Self.quotedPrintable(body) + "\r\n"
        }
        out += "--\(boundary)--\r\n"
        return Array(out.utf8)
    }

    /// Header values never carry line breaks (no header injection through alert text).
    static func sanitized(_ value: String) -> String {
        String(value.map { $0.isNewline ? " " : $0 })
    }

    /// RFC 2047 `=?utf-8?B?…?=` when the text is not plain ASCII; split to keep lines short.
    static func encodedWord(_ text: String) -> String {
        let clean = sanitized(text)
        guard !clean.allSatisfy({ $0.isASCII }) else { return clean }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in clean {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045): CRLF line breaks, soft breaks keep lines ≤ 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        var out = ""
        let lines = text.replacingLineEndings().split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var current = ""
            let bytes = Array(line.utf8)
            for (position, byte) in bytes.enumerated() {
                let isLast = position == bytes.count - 1
                var piece: String
                if (byte >= 33 && byte <= 126 && byte != 61) || (byte == 32 && !isLast) || (byte == 9 && !isLast) {
                    piece = String(UnicodeScalar(byte))
                } else {
                    let hex = String(byte, radix: 16, uppercase: true)
                    piece = "=" + (hex.count == 1 ? "0" + hex : hex)
                }
                if current.utf8.count + piece.utf8.count > 75 {
                    out += current + "=\r\n"
                    current = ""
                }
                current += piece
            }
            out += current
            if index < lines.count - 1 { out += "\r\n" }
        }
        return out
    }

    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int64(saturating: date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
        let stamp = Timestamp.format(Date(timeIntervalSince1970: Double(days * 86_400)))
        let year = stamp.prefix(4)
        let month = Int(stamp.dropFirst(5).prefix(2)) ?? 1
        let day = Int(stamp.dropFirst(8).prefix(2)) ?? 1
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(weekday), \(day) \(months[month - 1]) \(year) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
    }
}

extension String {
    /// `\r\n` and `\r` as `\n`.
    func replacingLineEndings() -> String {
        var out = ""
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out += "\n"
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

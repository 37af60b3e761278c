import Foundation
import KeawatchNotify
import KeawatchRouting
import Testing

@Suite struct MailMessageTests {
    func render(subject: String = "s", text: String = "t") -> String {
        String(
            decoding: MailMessage(
                from: "a@example.test",
                to: ["b@example.test"],
                subject: subject,
                text: text,
                html: "<p>h</p>",
                date: Date(timeIntervalSince1970: 0),
                messageID: "id@keawatch"
            ).rendered,
            as: UTF8.self
        )
    }

    @Test func nonASCIISubjectsAreEncodedWords() {
        let mail = render(subject: "Störung: server1 → partner-down")
        #expect(mail.contains("Subject: =?utf-8?B?"))
        #expect(!mail.contains("Störung"))
    }

    @Test func headerInjectionThroughAlertTextIsImpossible() {
        let mail = render(subject: "x\r\nBcc: everyone@example.test")
        #expect(!mail.contains("\r\nBcc:"))
    }

    @Test func everyLineIsShortAndEndsInCRLF() {
        let mail = render(text: String(repeating: "long line with ünïcödé ", count: 40) + "\nend")
        for line in mail.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78)
            #expect(!line.contains("\n"))
        }
        #expect(mail.contains("Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n"))
    }
}

import KeawatchDaemon
import Logging
import Synchronization
import Testing

/// The agent's log lines, as the journal and a terminal get them: one line per event whatever the
/// values hold, the logger's label and source kept, errors passed as swift-log's `error:`.
@Suite struct AgentLogHandlerTests {
    struct ReloadMistake: Error, CustomStringConvertible {
        var description: String { "config.json: $.poll_interval: expected a duration, found \"5 s\"" }
    }

    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    func logger(journal: Bool, into lines: Lines) -> Logger {
        Logger(label: "keawatch") { label in
            AgentLogHandler(label: label, logLevel: .info, journal: journal) { lines.append($0) }
        }
    }

    @Test func theJournalGetsThePriorityLabelSourceAndTheErrorAsSwiftLogNamesIt() {
        let lines = Lines()
        logger(journal: true, into: lines).error(
            "reload rejected",
            error: ReloadMistake(),
            metadata: ["config.mistake": "1 of 2"],
            source: "KeawatchDaemon"
        )
        #expect(
            lines.all == [
                #"<3>keawatch [KeawatchDaemon] reload rejected config.mistake="1 of 2" "#
                    + #"error.message="config.json: $.poll_interval: expected a duration, found \"5 s\"" "#
                    + "error.type=KeawatchDaemonTests.AgentLogHandlerTests.ReloadMistake\n"
            ]
        )
    }

    @Test(arguments: [
        (Logger.Level.debug, "<7>"), (.info, "<6>"), (.notice, "<5>"), (.warning, "<4>"), (.error, "<3>"),
        (.critical, "<2>"),
    ])
    func levelsKeepTheirJournalPriority(level: Logger.Level, prefix: String) {
        let lines = Lines()
        var logger = logger(journal: true, into: lines)
        logger.logLevel = .trace
        logger.log(level: level, "x", source: "S")
        #expect(lines.all == ["\(prefix)keawatch [S] x\n"])
    }

    @Test func controlCharactersInValuesAndMessagesCannotForgeALine() {
        let lines = Lines()
        logger(journal: true, into: lines).warning(
            "kea said\nno",
            metadata: ["kea.text": "bad\n<2>forged line\u{1b}[31m"],
            source: "KeawatchPolling"
        )
        #expect(
            lines.all == [
                #"<4>keawatch [KeawatchPolling] kea said\nno kea.text="bad\n<2>forged line\u{1b}[31m""# + "\n"
            ]
        )
    }

    @Test func aTerminalLineStartsWithTheTimeAndLevel() throws {
        let lines = Lines()
        logger(journal: false, into: lines).notice("configuration reloaded", source: "KeawatchDaemon")
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("Z NOTICE keawatch [KeawatchDaemon] configuration reloaded\n"))
        #expect(line.hasPrefix("20"))
    }
}

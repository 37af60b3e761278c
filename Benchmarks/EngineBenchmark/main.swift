// Engine benchmark: the default rules over 1,000 targets (500 HA pairs) with 1 h of history at 5 s.
// Reports tick time, rule×target evaluations per second (one core: the engine is single-threaded),
// the memory of the history, and, as the in-run reference, the time to decode the same 1,000
// status-get bodies from JSON (work every tick needs anyway). Then the tick of the whole pure
// pipeline (engine + correlation, routing and grouping in the router) against the engine with the
// rules before issue #10 (the default rules without KeaServerRestartLoop), interleaved tick by tick.
import KeawatchEngine
import KeawatchModel
import KeawatchRouting
import KeawatchRules

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

let root = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "."
let targets = 1000
let interval = 5.0
let historySamples = 720  // 1 h at 5 s

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func body(pair: Int, primary: Bool, tick: Int) -> String {
    // A few pairs are always in trouble, the rest healthy: rules find work either way.
    let troubled = pair % 50 == 0
    let state = troubled ? "partner-down" : (primary ? "load-balancing" : "load-balancing")
    let partner = troubled ? "unavailable" : "load-balancing"
    let own = primary ? "p\(pair)a" : "p\(pair)b"
    let other = primary ? "p\(pair)b" : "p\(pair)a"
    return """
        [{"arguments":{"high-availability":[{"ha-mode":"load-balancing","ha-servers":{"local":{"role":"\(primary ? "primary" : "secondary")",\
        "scopes":["\(own)"],"state":"\(state)"},"remote":{"age":\(troubled ? 70 + tick % 5 : tick % 2),"analyzed-packets":0,\
        "communication-interrupted":\(troubled),"connecting-clients":0,"in-touch":true,"last-scopes":["\(other)"],\
        "last-state":"\(partner)","role":"\(primary ? "secondary" : "primary")","unacked-clients":\(troubled ? 3 : 0),\
        "unacked-clients-left":0}}}],"pid":1,"uptime":\(tick * 5)},"result":0}]
        """
}

let rulesFile = "\(root)/rules/kea-ha.json"
let ruleSet = try RuleSet.parseFile(Array(try Data(contentsOf: URL(fileURLWithPath: rulesFile))), file: rulesFile)
let rules = ruleSet.rules
let engine = Engine(rules: rules)
var state = engine.makeState()

// Two alternating tick bodies per target, decoded once (observation building is not engine work).
let names = (0..<targets).map { "kea-\($0)" }
let bodies = (0..<2).map { tick in
    (0..<targets).map { Array(body(pair: $0 / 2, primary: $0 % 2 == 0, tick: tick).utf8) }
}
let decodeClock = ContinuousClock()
var decodeTimes: [Duration] = []
var decodedTicks: [[KeaStatus]] = []
for tick in 0..<2 {
    let started = decodeClock.now
    decodedTicks.append(bodies[tick].map { try! KeaStatus.decode(response: try! JSONValue.parse($0)).get() })
    decodeTimes.append(decodeClock.now - started)
}
let decoded = decodedTicks
for _ in 0..<8 {
    let started = decodeClock.now
    for body in bodies[0] { _ = KeaStatus.decode(response: try! JSONValue.parse(body)) }
    decodeTimes.append(decodeClock.now - started)
}

@MainActor
func observations(at time: Double, tick: Int) -> [Observation] {
    let at = Date(timeIntervalSince1970: time)
    return (0..<targets).map { Observation(target: names[$0], at: at, outcome: .status(decoded[tick % 2][$0])) }
}

let start = 1_762_975_000.0
let before = residentBytes()
for tick in 0..<historySamples {
    let time = start + Double(tick) * interval
    _ = engine.evaluate(&state, observations: observations(at: time, tick: tick), at: Date(timeIntervalSince1970: time))
}
let historyMemory = residentBytes() - before

// Measure ticks with full history: 1,000 new observations, then every rule for every subject.
let clock = ContinuousClock()
var tickTimes: [Duration] = []
var evaluateOnly: [Duration] = []
for tick in historySamples..<(historySamples + 200) {
    let time = start + Double(tick) * interval
    let batch = observations(at: time, tick: tick)
    let started = clock.now
    _ = engine.evaluate(&state, observations: batch, at: Date(timeIntervalSince1970: time))
    tickTimes.append(clock.now - started)
    // A tick without new observations: rule evaluation alone (timers, pending periods).
    let evalStarted = clock.now
    _ = engine.evaluate(&state, observations: [], at: Date(timeIntervalSince1970: time + 1))
    evaluateOnly.append(clock.now - evalStarted)
}

/// A number with `digits` decimals (FoundationEssentials has no String(format:)).
func fixed(_ digits: Int, _ value: Double) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    let whole = scaled / Int64(scale)
    let fraction = String(abs(scaled % Int64(scale)))
    return digits == 0 ? "\(whole)" : "\(whole).\(String(repeating: "0", count: digits - fraction.count) + fraction)"
}

func median(_ values: [Duration]) -> Double {
    let sorted = values.sorted()
    let middle = sorted[sorted.count / 2].components
    return Double(middle.seconds) * 1000 + Double(middle.attoseconds) / 1e15
}

let tickMs = median(tickTimes)
let evalMs = median(evaluateOnly)
let decodeMs = median(decodeTimes)
let evaluationsPerTick = Double(rules.count * targets)
print(
    "engine: \(rules.count) default rules, \(targets) targets (\(state.knownPairs.count) pairs learned), 1 h history at 5 s"
)
print("  history kept per target      \(state.historyCount(of: "kea-0")) samples")
print("  history memory               \(fixed(1, Double(historyMemory) / 1_048_576)) MiB   (goal <= 100 MB)")
print("  full tick (ingest + rules)   \(fixed(2, tickMs)) ms   (goal <= 5 ms)")
print("  rules only (no new samples)  \(fixed(2, evalMs)) ms")
print(
    "  rule x target evaluations    \(fixed(2, evaluationsPerTick / (tickMs / 1000) / 1e6)) M/s with ingest, \(fixed(2, evaluationsPerTick / (evalMs / 1000) / 1e6)) M/s rules only   (goal >= 2 M/s)"
)
print(
    "  reference: JSON decode of the same 1,000 bodies  \(fixed(2, decodeMs)) ms; full tick = \(fixed(2, tickMs / decodeMs))x of it"
)

// The pipeline against the rules before #10, same observations, ticks interleaved.
let previousRules = rules.filter { $0.name != "KeaServerRestartLoop" }
let previous = Engine(rules: previousRules)
var previousState = previous.makeState()
var pipelineState = engine.makeState()
var router = Router(
    routes: [Route(match: ["severity": ["critical", "warning"]], receivers: ["oncall"])],
    sendResolved: ["oncall"],
    correlations: ruleSet.correlations
)
for tick in 0..<historySamples {
    let time = start + Double(tick) * interval
    let at = Date(timeIntervalSince1970: time)
    _ = previous.evaluate(&previousState, observations: observations(at: time, tick: tick), at: at)
    router.ingest(engine.evaluate(&pipelineState, observations: observations(at: time, tick: tick), at: at), at: at)
    _ = router.flush(at: at)
}
var previousTicks: [Duration] = []
var pipelineTicks: [Duration] = []
var messages = 0
for tick in historySamples..<(historySamples + 200) {
    let time = start + Double(tick) * interval
    let at = Date(timeIntervalSince1970: time)
    let batch = observations(at: time, tick: tick)
    var started = clock.now
    _ = previous.evaluate(&previousState, observations: batch, at: at)
    previousTicks.append(clock.now - started)
    started = clock.now
    router.ingest(engine.evaluate(&pipelineState, observations: batch, at: at), at: at)
    messages += router.flush(at: at).count
    pipelineTicks.append(clock.now - started)
}
let previousMs = median(previousTicks)
let pipelineMs = median(pipelineTicks)
print(
    "  pipeline tick (engine \(rules.count) rules + correlation and grouping)  \(fixed(2, pipelineMs)) ms; engine with the \(previousRules.count) rules before #10  \(fixed(2, previousMs)) ms; ratio \(fixed(3, pipelineMs / previousMs))x   (goal <= 1.10x)"
)

// Checkpoints (Codable since #13): written with every decision and once a minute, read at start.
var writeTimes: [Duration] = []
var readTimes: [Duration] = []
var checkpointBytes = 0
for _ in 0..<20 {
    var started = clock.now
    let bytes = pipelineState.checkpoint()
    writeTimes.append(clock.now - started)
    checkpointBytes = bytes.count
    started = clock.now
    _ = try engine.restore(bytes)
    readTimes.append(clock.now - started)
}
print(
    "  checkpoint of \(targets) targets (\(fixed(1, Double(checkpointBytes) / 1024)) KiB): write \(fixed(2, median(writeTimes))) ms (\(fixed(2, median(writeTimes) / decodeMs))x the JSON-decode reference), restore \(fixed(2, median(readTimes))) ms (\(fixed(2, median(readTimes) / decodeMs))x)"
)

#!/usr/bin/env python3
"""`keawatch replay --notifications` over a one-hour trace of one pair at 1 s polling.

The trace is the recorded real-pair `secondary-down` trace (250 s: a 3.5 min outage and the
recovery) repeated with shifted timestamps to an hour: 7,200 observations, fifteen outages (from the
third on, one restart-loop incident: a server down every four minutes is one). The whole pipeline (engine, correlation, routing, grouping) runs in simulated time. Reference in the
same run: `keawatch replay --rules` over the same trace (the engine's transitions only: reading and
decoding the trace plus rule evaluation, the work any replay does). Median of 5 alternating runs,
peak RSS from wait4. Goal (issue #10): under 1 s.
"""
import json, os, resource, statistics, subprocess, sys, tempfile, time
from datetime import datetime, timedelta, timezone

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
keawatch = os.environ.get("KEAWATCH_BIN", os.path.join(root, ".build-static/release/keawatch"))
source = os.path.join(root, "Tests/KeawatchEngineTests/Traces/secondary-down.jsonl")

def parse(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)

def fmt(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"

lines = [l for l in open(source).read().splitlines() if l.strip()]
records = [json.loads(l) for l in lines]
first = min(parse(r["at"]) for r in records)
last = max(parse(r["at"]) for r in records)
span = (last - first) + timedelta(seconds=1)
work = tempfile.mkdtemp(prefix="kw-replay-bench-")
trace = os.path.join(work, "hour.jsonl")
count = 0
with open(trace, "w") as out:
    shift = timedelta(0)
    while shift < timedelta(hours=1):
        for line, record in zip(lines, records):
            at = parse(record["at"]) + shift
            if at - first >= timedelta(hours=1):
                break
            out.write('{"at":"' + fmt(at) + '"' + line[line.index(',"target"'):] + "\n")
            count += 1
        shift += span
config = os.path.join(work, "config.json")
with open(config, "w") as out:
    json.dump({"poll_interval": "1s", "rules": [os.path.join(root, "rules")],
               "targets": [{"name": "server1", "url": "http://127.0.0.1:1/"},
                           {"name": "server2", "url": "http://127.0.0.1:2/"}],
               "receivers": [{"name": "oncall", "type": "webhook", "url": "http://127.0.0.1:3/"}]}, out)

def run(arguments):
    started = time.monotonic()
    process = subprocess.Popen([keawatch] + arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output, errors = process.communicate()
    elapsed = time.monotonic() - started
    if process.returncode != 0:
        sys.exit(f"keawatch {' '.join(arguments)} failed: {errors.decode()}")
    return elapsed, output

def peak(arguments):
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execv(keawatch, [keawatch] + arguments)
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_maxrss / 1024

notifications = ["replay", "--config", config, "--history", trace, "--notifications", "--json"]
transitions = ["replay", "--rules", os.path.join(root, "rules"), "--history", trace, "--json"]
pipeline_times, reference_times = [], []
messages = 0
for _ in range(5):
    elapsed, output = run(notifications)
    pipeline_times.append(elapsed)
    messages = len(output.splitlines())
    elapsed, _ = run(transitions)
    reference_times.append(elapsed)
p, r = statistics.median(pipeline_times), statistics.median(reference_times)
print(f"replay --notifications: one pair, {count} observations (1 h at 1 s), {messages} messages")
print(f"  replay --notifications   {p * 1000:.0f} ms   (goal < 1 s)   peak RSS {peak(notifications):.1f} MiB")
print(f"  reference: replay --rules (transitions only)   {r * 1000:.0f} ms   peak RSS {peak(transitions):.1f} MiB")
print(f"  ratio {p / r:.2f}x")

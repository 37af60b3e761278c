#!/usr/bin/env python3
"""Fault → notification latency on the real Kea lab pair: `keawatch run` (poll interval 1 s, rule
`for` 2 s, group_wait 0 s) watches the pair; the secondary's Control Agent is stopped, and the
time until the webhook receiver logs the page is measured, five times. The budget is
poll interval + for + 100 ms = 3.1 s.

Usage: latency.py   (KEAWATCH_BIN; needs root for the lab's network namespaces)"""
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEAWATCH = os.environ.get("KEAWATCH_BIN", os.path.join(ROOT, ".build-static/release/keawatch"))
LAB = dict(os.environ, KEA_LAB_NAME="kwbench", KEA_LAB_CA_A="127.0.0.71:8000", KEA_LAB_CA_B="127.0.0.72:8000")
ROUNDS = int(os.environ.get("ROUNDS", "5"))
BUDGET = 1.0 + 2.0 + 0.1


def lab(*args):
    subprocess.run([os.path.join(ROOT, "scripts/kea-lab"), *args], env=LAB, check=True, stdout=subprocess.DEVNULL)


def pages(log, status):
    if not os.path.exists(log):
        return []
    out = []
    for line in open(log):
        record = json.loads(line)
        body = json.loads(record["body"])
        if body.get("status") == status:
            out.append(record["at"])
    return out


def main():
    workdir = tempfile.mkdtemp(prefix="keawatch-latency-")
    log = os.path.join(workdir, "hooks.jsonl")
    lab("up", "--mode", "load-balancing")
    stub = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests/Support/http_stub.py"), "--log", log],
                            stdout=subprocess.PIPE)
    agent = None
    try:
        port = int(stub.stdout.readline().split()[1])
        with open(os.path.join(workdir, "rules.json"), "w") as f:
            json.dump({"rules": [{"name": "KeaServerUnreachable", "kind": "unreachable", "severity": "critical",
                                  "for": "2s", "summary": "{{target}} cannot be polled"}]}, f)
        config = os.path.join(workdir, "config.json")
        with open(config, "w") as f:
            json.dump({"poll_interval": "1s", "listen": "127.0.0.73:9547", "state_dir": os.path.join(workdir, "state"),
                       "rules": ["rules.json"],
                       "targets": [{"name": "server1", "url": "http://127.0.0.71:8000/", "timeout": "1s"},
                                   {"name": "server2", "url": "http://127.0.0.72:8000/", "timeout": "1s"}],
                       "receivers": [{"name": "hook", "type": "webhook", "url": f"http://127.0.0.1:{port}/status/200"}],
                       "routes": [{"receivers": ["hook"], "group_wait": "0s", "group_interval": "1s"}]}, f)
        agent = subprocess.Popen([KEAWATCH, "run", "--config", config], stdout=subprocess.DEVNULL,
                                 stderr=open(os.path.join(workdir, "agent.log"), "w"))
        time.sleep(5)
        latencies = []
        for _ in range(ROUNDS):
            firing = len(pages(log, "firing"))
            resolved = len(pages(log, "resolved"))
            fault = time.time()
            lab("stop-agent", "b")
            while len(pages(log, "firing")) == firing:
                time.sleep(0.01)
            latencies.append(pages(log, "firing")[-1] - fault)
            lab("start-agent", "b")
            while len(pages(log, "resolved")) == resolved:
                time.sleep(0.05)
            time.sleep(1.5)
        print(f"fault → page on the lab pair ({ROUNDS} rounds, poll 1 s, for 2 s, group_wait 0): "
              f"median {statistics.median(latencies):.3f} s, max {max(latencies):.3f} s; "
              f"budget interval + for + 100 ms = {BUDGET:.1f} s; all within: {all(l <= BUDGET for l in latencies)}")
    finally:
        if agent:
            agent.send_signal(signal.SIGTERM)
            agent.wait()
        stub.terminate()
        lab("down")


if __name__ == "__main__":
    main()

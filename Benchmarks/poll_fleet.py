#!/usr/bin/env python3
"""Benchmark: `keawatch poll` of 1,000 targets vs `curl --parallel --parallel-max 100` doing the same
1,000 POSTs against the same fake fleet, in the same run. Reports median wall time, the ratio, and
peak RSS of each."""
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEAWATCH = os.environ.get("KEAWATCH_BIN", os.path.join(ROOT, ".build-static/release/keawatch"))
FIXTURE = os.path.join(ROOT, "Tests/KeawatchPollingTests/Fixtures/load-balancing__primary__load-balancing__partner-load-balancing__in-contact.json")
TARGETS = int(os.environ.get("TARGETS", "1000"))
ROUNDS = int(os.environ.get("ROUNDS", "11"))
FIRST_PORT = 21000


def run(command, stdout=subprocess.DEVNULL):
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode()
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def main():
    workdir = tempfile.mkdtemp(prefix="keawatch-bench-")
    fleet = subprocess.Popen([sys.executable, os.path.join(ROOT, "Benchmarks/fake_kea_fleet.py"), FIXTURE, str(FIRST_PORT), str(TARGETS), workdir],
                             stdout=subprocess.PIPE)
    try:
        assert fleet.stdout.readline().strip() == b"ready"
        urls = [f"http://127.0.0.1:{FIRST_PORT + i}/" for i in range(TARGETS)]
        config = os.path.join(workdir, "fleet.json")
        with open(config, "w") as f:
            json.dump({"poll_interval": "5s", "targets": [{"name": f"kea-{i}", "url": url, "timeout": "10s"} for i, url in enumerate(urls)]}, f)
        curl_config = os.path.join(workdir, "curl.conf")
        with open(curl_config, "w") as f:
            for url in urls:
                f.write(f'url = "{url}"\n')
        body = '{"command":"status-get","service":["dhcp4"]}'
        keawatch = [KEAWATCH, "poll", "--config", config, "--json"]
        curl = ["curl", "-s", "--parallel", "--parallel-max", "100", "-H", "Content-Type: application/json", "-d", body, "-K", curl_config]

        # Correctness first: every target answered, both ways.
        with open(os.path.join(workdir, "keawatch.out"), "w") as out:
            _, _, code, err = run(keawatch, stdout=out)
        lines = open(os.path.join(workdir, "keawatch.out")).read().splitlines()
        assert code == 0 and len(lines) == TARGETS and all('"response"' in l for l in lines), (code, err[:500])
        with open(os.path.join(workdir, "curl.out"), "w") as out:
            _, _, code, _ = run(curl, stdout=out)
        assert code == 0 and open(os.path.join(workdir, "curl.out")).read().count('"result": 0') == TARGETS

        results = {"keawatch": [], "curl": []}
        rss = {"keawatch": 0.0, "curl": 0.0}
        for _ in range(ROUNDS):
            for name, command in (("keawatch", keawatch), ("curl", curl)):
                elapsed, peak, code, err = run(command)
                assert code == 0, (name, err[:500])
                results[name].append(elapsed)
                rss[name] = max(rss[name], peak)
        k, c = statistics.median(results["keawatch"]), statistics.median(results["curl"])
        print(f"poll {TARGETS} targets, median of {ROUNDS} runs each (alternating):")
        print(f"  keawatch poll --json       {k * 1000:8.1f} ms   peak RSS {rss['keawatch']:6.1f} MiB")
        print(f"  curl --parallel-max 100    {c * 1000:8.1f} ms   peak RSS {rss['curl']:6.1f} MiB")
        print(f"  ratio keawatch / curl      {k / c:8.2f}x   (goal <= 1.0x)")
    finally:
        fleet.terminate()
        fleet.wait()


if __name__ == "__main__":
    main()

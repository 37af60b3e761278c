#!/usr/bin/env python3
"""`keawatch run` watching a fleet of fake Kea servers (nginx, a recorded real status-get body) at a
5 s interval: CPU time per poll cycle and peak RSS, for 1,000 targets; and one pair (2 targets) over
an hour of history in simulated time (polled every 100 ms until the 720-sample rings are full).
Reference in the same run: the CPU time of `curl --parallel` doing one cycle's 1,000 requests.

Usage: agent_fleet.py   (KEAWATCH_BIN, SECONDS_PER_RUN, TARGETS override the defaults; FULL_HISTORY=1
adds 12.5 minutes of 1,000 targets polled every second, until every history ring is full)"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEAWATCH = os.environ.get("KEAWATCH_BIN", os.path.join(ROOT, ".build-static/release/keawatch"))
FIXTURE = os.path.join(ROOT, "Tests/KeawatchPollingTests/Fixtures/load-balancing__primary__load-balancing__partner-load-balancing__in-contact.json")
TARGETS = int(os.environ.get("TARGETS", "1000"))
DURATION = float(os.environ.get("SECONDS_PER_RUN", "60"))
INTERVAL = 5.0
FIRST_PORT = 23000


def watch(workdir, count, interval=INTERVAL, duration=DURATION):
    config = os.path.join(workdir, f"agent-{count}.json")
    with open(config, "w") as f:
        json.dump({"poll_interval": f"{int(interval * 1000)}ms", "listen": "127.0.0.61:9547", "state_dir": os.path.join(workdir, f"state-{count}"),
                   "rules": [os.path.join(ROOT, "rules/kea-ha.json")],
                   "targets": [{"name": f"kea-{i}", "url": f"http://127.0.0.1:{FIRST_PORT + i}/", "timeout": "10s"}
                               for i in range(count)]}, f)
    process = subprocess.Popen([KEAWATCH, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(duration)
    os.kill(process.pid, signal.SIGTERM)
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, process.stderr.read().decode()[-2000:]
    cycles = duration / interval
    return (usage.ru_utime + usage.ru_stime) / cycles * 1000, usage.ru_maxrss / 1024


def main():
    workdir = tempfile.mkdtemp(prefix="keawatch-agent-bench-")
    fleet = subprocess.Popen([sys.executable, os.path.join(ROOT, "Benchmarks/fake_kea_fleet.py"), FIXTURE, str(FIRST_PORT),
                              str(TARGETS), workdir], stdout=subprocess.PIPE)
    try:
        assert fleet.stdout.readline().strip() == b"ready"
        curl_config = os.path.join(workdir, "curl.conf")
        with open(curl_config, "w") as f:
            for i in range(TARGETS):
                f.write(f'url = "http://127.0.0.1:{FIRST_PORT + i}/"\n')
        curl = subprocess.Popen(["curl", "-s", "-o", "/dev/null", "--parallel", "--parallel-max", "100", "-H",
                                 "Content-Type: application/json", "-d", '{"command":"status-get","service":["dhcp4"]}',
                                 "-K", curl_config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(curl.pid, 0)
        curl_cpu = (usage.ru_utime + usage.ru_stime) * 1000
        fleet_cpu, fleet_rss = watch(workdir, TARGETS)
        if os.environ.get("FULL_HISTORY"):
            # A full hour of history for every target: polled each second, the 720-sample rings
            # are full after 12 minutes.
            full_cpu, full_rss = watch(workdir, TARGETS, interval=1.0, duration=750)
            print(f"keawatch run, {TARGETS} targets polled every 1 s for 750 s (a full 720-sample history each): "
                  f"CPU {full_cpu:.1f} ms per poll cycle, peak RSS {full_rss:.1f} MiB")
        # An hour of history in 80 s: at 100 ms, each target's 720-sample ring fills (and wraps).
        pair_cpu, pair_rss = watch(workdir, 2, interval=0.1, duration=80)
        print(f"keawatch run, {TARGETS} targets at 5 s for {DURATION:.0f} s: CPU {fleet_cpu:.1f} ms per poll cycle "
              f"(reference: curl --parallel, one cycle's {TARGETS} requests: {curl_cpu:.1f} ms CPU; ratio "
              f"{fleet_cpu / curl_cpu:.2f}x), peak RSS {fleet_rss:.1f} MiB")
        print(f"keawatch run, one pair (2 targets) polled every 100 ms for 80 s (800 polls each: a full hour of "
              f"history): CPU {pair_cpu:.2f} ms per poll cycle, peak RSS {pair_rss:.1f} MiB")
    finally:
        fleet.terminate()
        fleet.wait()


if __name__ == "__main__":
    main()

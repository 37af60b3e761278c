#!/usr/bin/env python3
"""Issue #11's budgets.

1. `keawatch run` over 1,000 fake targets at its defaults (status-get every 5 s), once with
   statistics and configuration polling off and once at their defaults (statistic-get-all every
   minute, config-get every 10 minutes — the run includes the first config-get of every target,
   10 times the steady rate): the CPU they add, as a ratio. Budget: at most 10 %. Two figures: the
   whole run (from wait4, start-up and the first config-get of every target included) and the
   steady state (from /proc, after the first WARMUP seconds: statistics polls only, as between two
   config-get rounds).
2. `keawatch review` of one pair with 10,000 reservations in 200 subnets (generated), wall time and
   peak RSS. Budget: under 1 s. Reference in the same run: Python parsing the same two config-get
   answers (json.loads).

Usage: pools_config.py   (KEAWATCH_BIN, RULES (a directory: an older build's own rules), TARGETS,
SECONDS_PER_RUN, WARMUP, BENCH_NET override the defaults)"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEAWATCH = os.environ.get("KEAWATCH_BIN", os.path.join(ROOT, ".build-static/release/keawatch"))
FIXTURES = os.path.join(ROOT, "Tests/KeawatchPollingTests/Fixtures")
STATUS = os.path.join(FIXTURES, "load-balancing__primary__load-balancing__partner-load-balancing__in-contact.json")
STATISTICS = os.path.join(FIXTURES, "statistics__load-balancing__primary__6-of-10-assigned-2-declined.json")
CONFIG = os.path.join(FIXTURES, "config-get__load-balancing__server2__drift.json")
RULES = os.environ.get("RULES", os.path.join(ROOT, "rules"))
TARGETS = int(os.environ.get("TARGETS", "1000"))
DURATION = float(os.environ.get("SECONDS_PER_RUN", "130"))
WARMUP = float(os.environ.get("WARMUP", "30"))
FIRST_PORT = 24000
NET = os.environ.get("BENCH_NET", "127.0.11")  # this issue's loopback block
HOST = f"{NET}.30"
os.environ["FAKE_KEA_HOST"] = HOST


def fleet(first_port, count, *answers):
    process = subprocess.Popen([sys.executable, os.path.join(ROOT, "Benchmarks/fake_kea_commands.py"), str(first_port),
                                str(count), *answers], stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == b"ready"
    return process


def agent_cpu(workdir, name, extra):
    config = os.path.join(workdir, f"{name}.json")
    body = {"poll_interval": "5s", "listen": f"{NET}.120:9547", "state_dir": os.path.join(workdir, f"state-{name}"),
            "rules": [RULES],
            "targets": [{"name": f"kea-{i}", "url": f"http://{HOST}:{FIRST_PORT + i}/", "timeout": "10s"}
                        for i in range(TARGETS)],
            # Declared pairs, as a real fleet is: pool views and configuration comparison per pair.
            "pairs": [{"name": f"pair-{i}", "targets": [f"kea-{2 * i}", f"kea-{2 * i + 1}"]} for i in range(TARGETS // 2)]}
    body.update(extra)
    json.dump(body, open(config, "w"))
    # The log goes to a file: an undrained pipe fills (an alert line per pair) and blocks the agent.
    log_path = os.path.join(workdir, f"{name}.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen([KEAWATCH, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=log)
    time.sleep(WARMUP)
    warm = process_cpu(process.pid)
    time.sleep(DURATION - WARMUP)
    steady = process_cpu(process.pid) - warm
    os.kill(process.pid, signal.SIGTERM)
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, open(log_path).read()[-2000:]
    return usage.ru_utime + usage.ru_stime, steady, usage.ru_maxrss / 1024


def process_cpu(pid):
    """User + system seconds of a running process, from /proc."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def big_config(workdir, server, subnets=200, per_subnet=50):
    """A config-get answer like a large site's: 200 /24s in 10.x, 50 reservations each."""
    subnet_list = []
    for s in range(subnets):
        base = f"10.{s // 256}.{s % 256}"
        subnet_list.append({
            "id": s + 1, "subnet": f"{base}.0/24", "pools": [{"pool": f"{base}.100 - {base}.250"}],
            "option-data": [{"name": "routers", "data": f"{base}.1"}],
            "reservations": [{"hw-address": f"02:00:{s // 256:02x}:{s % 256:02x}:00:{r:02x}", "ip-address": f"{base}.{10 + r}",
                              "hostname": f"host-{s}-{r}"} for r in range(per_subnet)],
        })
    document = [{"result": 0, "arguments": {"Dhcp4": {
        "interfaces-config": {"interfaces": ["eth0"]}, "valid-lifetime": 3600,
        "lease-database": {"type": "mysql", "name": "kea", "user": "kea", "password": "benchmark-secret"},
        "hooks-libraries": [{"library": "/usr/lib/kea/hooks/libdhcp_ha.so", "parameters": {"high-availability": [{
            "this-server-name": server, "mode": "load-balancing", "heartbeat-delay": 10000, "max-response-delay": 60000,
            "max-ack-delay": 5000, "max-unacked-clients": 5,
            "peers": [{"name": "server1", "url": "http://10.255.0.1:8000/", "role": "primary"},
                      {"name": "server2", "url": "http://10.255.0.2:8000/", "role": "secondary"}]}]}}],
        "subnet4": subnet_list}}}]
    path = os.path.join(workdir, f"config-{server}.json")
    json.dump(document, open(path, "w"))
    return path


def status_for(workdir, role, own, other):
    document = json.load(open(STATUS))
    relationship = document[0]["arguments"]["high-availability"][0]
    relationship["ha-servers"]["local"].update({"role": role, "scopes": [own]})
    relationship["ha-servers"]["remote"].update({"role": "secondary" if role == "primary" else "primary", "last-scopes": [other]})
    path = os.path.join(workdir, f"status-{own}.json")
    json.dump(document, open(path, "w"))
    return path


def main():
    sys.stdout.reconfigure(line_buffering=True)
    workdir = tempfile.mkdtemp(prefix="keawatch-pools-bench-")
    targets = fleet(FIRST_PORT, TARGETS, f"status-get={STATUS}", f"statistic-get-all={STATISTICS}", f"config-get={CONFIG}")
    try:
        off, off_steady, off_rss = agent_cpu(workdir, "off", {"statistics_interval": "off", "config_interval": "off"})
        on, on_steady, on_rss = agent_cpu(workdir, "on", {})
    finally:
        targets.terminate()
        targets.wait()
    print(f"keawatch run, {TARGETS} targets, status-get every 5 s, {DURATION:.0f} s: CPU {off:.2f} s without statistics and "
          f"config polling (peak RSS {off_rss:.1f} MiB), {on:.2f} s with them at their defaults (peak RSS {on_rss:.1f} MiB): "
          f"they add {100 * (on - off) / off:.1f} % (ratio {on / off:.3f}; budget 10 %); steady state after {WARMUP:.0f} s: "
          f"{off_steady:.2f} s → {on_steady:.2f} s, {100 * (on_steady - off_steady) / off_steady:.1f} % "
          f"(ratio {on_steady / off_steady:.3f})")

    # review: one pair, 10,000 reservations in 200 subnets each.
    first = big_config(workdir, "server1")
    second = big_config(workdir, "server2")
    pair = [fleet(FIRST_PORT + TARGETS + i, 1, f"status-get={status_for(workdir, role, own, other)}",
                  f"statistic-get-all={STATISTICS}", f"config-get={path}")
            for i, (role, own, other, path) in enumerate([("primary", "server1", "server2", first),
                                                          ("secondary", "server2", "server1", second)])]
    try:
        config = os.path.join(workdir, "review.json")
        json.dump({"targets": [{"name": name, "url": f"http://{HOST}:{FIRST_PORT + TARGETS + i}/"}
                               for i, name in enumerate(["server1", "server2"])]}, open(config, "w"))
        started = time.monotonic()
        parsed = [json.loads(open(path).read()) for path in (first, second)]
        reference = time.monotonic() - started
        size = sum(os.path.getsize(path) for path in (first, second)) / 1024 / 1024
        runs, cpus = [], []
        for _ in range(3):
            started = time.monotonic()
            review = subprocess.Popen([KEAWATCH, "review", "--config", config], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out, err = review.stdout.read(), review.stderr.read()
            _, status, usage = os.wait4(review.pid, 0)
            runs.append(time.monotonic() - started)
            cpus.append(usage.ru_utime + usage.ru_stime)
            assert os.waitstatus_to_exitcode(status) in (0, 1), err.decode()[-2000:]
            assert b"benchmark-secret" not in out
        best = min(runs)
        rss = subprocess.run(["/usr/bin/time", "-f", "%M", KEAWATCH, "review", "--config", config], capture_output=True)
        peak = int(rss.stderr.decode().strip().splitlines()[-1]) / 1024 if rss.stderr.strip() else float("nan")
        assert len(parsed) == 2
        print(f"keawatch review, one pair with 10,000 reservations in 200 subnets each ({size:.1f} MiB of config-get): "
              f"{best * 1000:.0f} ms wall (best of 3; budget 1 s; CPU {min(cpus) * 1000:.0f} ms), peak RSS {peak:.1f} MiB (reference: Python json.loads of "
              f"both answers {reference * 1000:.0f} ms; ratio {best / reference:.1f}x)")
    finally:
        for process in pair:
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()

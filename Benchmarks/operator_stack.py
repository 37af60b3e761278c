#!/usr/bin/env python3
"""The agent as the operator's stack sees it, at 1,000 targets (500 declared pairs) of a fake fleet
(nginx, a recorded real status-get body) polled every 5 s: how long `GET /metrics` and the status
page `GET /` take and how big they are (median of 21 requests over one kept-alive connection, with
the `/healthz` round trip on the same connection as the reference), and the agent's CPU over 60 s
with a real Prometheus scraping it every 15 s against 60 s without (the reference).

Usage: operator_stack.py   (KEAWATCH_BIN, TARGETS, SECONDS_PER_RUN override the defaults)"""
import http.client
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
FIXTURE = os.path.join(ROOT, "Tests/KeawatchPollingTests/Fixtures/load-balancing__primary__load-balancing__partner-load-balancing__in-contact.json")
TARGETS = int(os.environ.get("TARGETS", "1000"))
DURATION = float(os.environ.get("SECONDS_PER_RUN", "60"))
FIRST_PORT = 25000
HOST, PORT = "127.0.12.61", 9547
TOKEN = "benchmark-token"


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(connection, path, count=21):
    times, size = [], 0
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Authorization": f"Bearer {TOKEN}"})
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, (path, response.status, body[:200])
        size = len(body)
    return statistics.median(times), size


def main():
    workdir = tempfile.mkdtemp(prefix="keawatch-stack-bench-")
    fleet = subprocess.Popen([sys.executable, os.path.join(ROOT, "Benchmarks/fake_kea_fleet.py"), FIXTURE, str(FIRST_PORT),
                              str(TARGETS), workdir], stdout=subprocess.PIPE)
    agent = prometheus = None
    try:
        assert fleet.stdout.readline().strip() == b"ready"
        with open(os.path.join(workdir, "token"), "w") as f:
            f.write(TOKEN)
        config = os.path.join(workdir, "agent.json")
        names = [f"kea-{i}" for i in range(TARGETS)]
        with open(config, "w") as f:
            json.dump({"poll_interval": "5s", "listen": f"{HOST}:{PORT}", "state_dir": os.path.join(workdir, "state"),
                       "api_token_file": os.path.join(workdir, "token"), "rules": [os.path.join(ROOT, "rules/kea-ha.json")],
                       "targets": [{"name": name, "url": f"http://127.0.0.1:{FIRST_PORT + i}/", "timeout": "10s"}
                                   for i, name in enumerate(names)],
                       "pairs": [{"targets": [names[i], names[i + 1]]} for i in range(0, TARGETS - 1, 2)]}, f)
        agent = subprocess.Popen([KEAWATCH, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(20)  # four poll cycles: every target has answered, the pages are full size
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        reference, _ = timed(connection, "/healthz")
        metrics, metrics_size = timed(connection, "/metrics")
        page, page_size = timed(connection, "/")
        connection.close()

        idle_start = cpu_seconds(agent.pid)
        time.sleep(DURATION)
        idle = cpu_seconds(agent.pid) - idle_start
        with open(os.path.join(workdir, "prometheus.yml"), "w") as f:
            f.write("global: {scrape_interval: 15s}\nscrape_configs:\n  - job_name: keawatch\n"
                    f"    authorization: {{type: Bearer, credentials_file: {workdir}/token}}\n"
                    f"    static_configs: [{{targets: ['{HOST}:{PORT}']}}]\n")
        prometheus = subprocess.Popen(["prometheus", f"--config.file={workdir}/prometheus.yml",
                                       f"--storage.tsdb.path={workdir}/tsdb", "--web.listen-address=127.0.12.62:9090",
                                       "--log.level=error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)
        scraped_start = cpu_seconds(agent.pid)
        time.sleep(DURATION)
        scraped = cpu_seconds(agent.pid) - scraped_start
        samples = 0
        try:
            connection = http.client.HTTPConnection("127.0.12.62", 9090, timeout=10)
            connection.request("GET", "/api/v1/query?query=scrape_samples_scraped")
            result = json.loads(connection.getresponse().read())["data"]["result"]
            samples = int(float(result[0]["value"][1])) if result else 0
        except Exception:
            pass
        os.kill(agent.pid, signal.SIGTERM)
        _, status, usage = os.wait4(agent.pid, 0)
        agent = None
        print(f"keawatch run, {TARGETS} targets ({TARGETS // 2} pairs) at 5 s:")
        print(f"  GET /metrics: {metrics:.1f} ms, {metrics_size / 1e6:.2f} MB (reference GET /healthz {reference:.2f} ms: "
              f"{metrics / reference:.0f}x); goal < 100 ms and < 2 MB")
        print(f"  GET / (status page): {page:.1f} ms, {page_size / 1e6:.2f} MB ({page / reference:.0f}x the reference); "
              f"goal < 50 ms")
        print(f"  CPU over {DURATION:.0f} s: {idle * 1000 / DURATION * 5:.0f} ms per 5 s cycle unscraped, "
              f"{scraped * 1000 / DURATION * 5:.0f} ms scraped by Prometheus every 15 s "
              f"({samples} samples a scrape; ratio {scraped / idle:.2f}x); peak RSS {usage.ru_maxrss / 1024:.1f} MiB")
    finally:
        for process in (prometheus, agent):
            if process:
                process.kill()
                process.wait()
        fleet.terminate()
        fleet.wait()


if __name__ == "__main__":
    main()

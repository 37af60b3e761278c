#!/usr/bin/env python3
"""Notification benchmarks: 1,000 webhook deliveries vs curl --parallel-max 100 posting the same
body to the same loopback receiver (nginx) in the same run; 100 mails over STARTTLS + AUTH to a local
aiosmtpd; outbox commit time. Usage: notify.py BENCHMARK_BINARY"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = sys.argv[1]
ROUNDS = 7


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def timed(command, **kwargs):
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    out = process.stdout.read().decode()
    process.stdout.close()
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out


def webhook(workdir):
    port = free_port()
    conf = os.path.join(workdir, "nginx.conf")
    open(conf, "w").write(f"""daemon off; worker_processes 1; pid {workdir}/nginx.pid; error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{ access_log off; client_body_temp_path {workdir}/body; proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fastcgi; uwsgi_temp_path {workdir}/uwsgi; scgi_temp_path {workdir}/scgi;
  keepalive_requests 100000;
  server {{ listen 127.0.0.1:{port}; location / {{ client_body_buffer_size 64k; default_type application/json; return 200 '{{}}'; }} }} }}
""")
    nginx = subprocess.Popen(["nginx", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        url = f"http://127.0.0.1:{port}/hook"
        body = os.path.join(workdir, "body.json")
        # The same kind of body keawatch sends (an Alertmanager v4 group of two alerts).
        out = subprocess.run([BENCH, "webhook", url, "1"], capture_output=True, text=True)
        assert "delivered 1" in out.stdout, out
        sample = '{"version":"4","groupKey":"g1","status":"firing","receiver":"bench","alerts":[' + ",".join(
            ['{"status":"firing","labels":{"alertname":"KeaHAPartnerDown","target":"kea-1-%d"},"annotations":{"summary":"kea-1 has been in partner-down for 2m: it serves alone"},"startsAt":"2025-11-12T19:17:55.000Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"fp"}' % i for i in range(2)]) + "]}"
        open(body, "w").write(sample)
        urls = os.path.join(workdir, "urls.conf")
        open(urls, "w").write("".join(f'url = "{url}"\noutput = "/dev/null"\n' for _ in range(1000)))
        keawatch = [BENCH, "webhook", url, "1000"]
        curl = ["curl", "-s", "--parallel", "--parallel-max", "100", "-H", "Content-Type: application/json",
                "-H", "Idempotency-Key: x", "--data-binary", "@" + body, "-K", urls]
        results = {"keawatch": [], "curl": []}
        rss = {"keawatch": 0.0, "curl": 0.0}
        for _ in range(ROUNDS):
            for name, command in (("keawatch", keawatch), ("curl", curl)):
                elapsed, peak, code, out = timed(command)
                assert code == 0, (name, code)
                if name == "keawatch":
                    assert "delivered 1000" in out, out
                results[name].append(elapsed)
                rss[name] = max(rss[name], peak)
        k, c = statistics.median(results["keawatch"]), statistics.median(results["curl"])
        print(f"webhook: 1000 deliveries, median of {ROUNDS} alternating runs")
        print(f"  keawatch (100 in flight)   {k * 1000:8.1f} ms   peak RSS {rss['keawatch']:6.1f} MiB")
        print(f"  curl --parallel-max 100    {c * 1000:8.1f} ms   peak RSS {rss['curl']:6.1f} MiB")
        print(f"  ratio keawatch / curl      {k / c:8.2f}x   (goal <= 1.0x)")
    finally:
        nginx.terminate()
        nginx.wait()


def mail(workdir):
    cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=bench",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], capture_output=True, check=True)
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests/Support/smtp_server.py"), "--log", os.path.join(workdir, "smtp.jsonl"),
                               "--starttls", cert, key, "--auth", "keawatch:bench-pw"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(server.stdout.readline().split()[1])
        out = subprocess.run([BENCH, "mail", f"smtp://127.0.0.1:{port}", "100", cert], capture_output=True, text=True)
        print("mail: " + out.stdout.strip() + "   (STARTTLS required + AUTH PLAIN, fresh connection per mail, 10 in flight; goal <= 1000 ms)")
    finally:
        server.kill()
        server.wait()


def outbox(workdir)
print(subprocess.run([BENCH, "silences"], capture_output=True, text=True).stdout.strip()):
    out = subprocess.run([BENCH, "outbox", workdir], capture_output=True, text=True)
    print("outbox (WAL, synchronous=NORMAL, one transaction per batch; goal <= 1 ms):")
    for line in out.stdout.strip().splitlines():
        print("  " + line)


workdir = tempfile.mkdtemp(prefix="keawatch-notify-bench-")
webhook(workdir)
mail(workdir)
outbox(workdir)
print(subprocess.run([BENCH, "silences"], capture_output=True, text=True).stdout.strip())

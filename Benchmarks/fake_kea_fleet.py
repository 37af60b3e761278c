#!/usr/bin/env python3
"""A fleet of fake Kea Control Agents on loopback: nginx (one worker) listening on one port per
target, answering every request with a recorded real `status-get` body. A C server, like Kea's
Control Agent, so that the benchmark measures the clients rather than the fleet.

Usage: fake_kea_fleet.py BODY_FILE FIRST_PORT COUNT WORKDIR   (prints "ready", runs until killed)"""
import os
import socket
import subprocess
import sys
import time

body_file, first_port, count, workdir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
body = open(body_file).read().strip()
assert "'" not in body and "$" not in body
listens = "\n".join(f"    listen 127.0.0.1:{first_port + i};" for i in range(count))
config = f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  client_body_temp_path {workdir}/body;
  proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fastcgi;
  uwsgi_temp_path {workdir}/uwsgi;
  scgi_temp_path {workdir}/scgi;
  server {{
{listens}
    location / {{ default_type application/json; return 200 '{body}'; }}
  }}
}}
"""
path = os.path.join(workdir, "nginx.conf")
open(path, "w").write(config)
log = open(os.path.join(workdir, "nginx.out"), "w")
nginx = subprocess.Popen(["nginx", "-c", path, "-e", os.path.join(workdir, "nginx-error.log")], stdout=log, stderr=log)
deadline = time.time() + 10
while time.time() < deadline:
    if nginx.poll() is not None:
        sys.exit(f"nginx exited: {open(os.path.join(workdir, 'nginx.out')).read()[-500:]}")
    try:
        socket.create_connection(("127.0.0.1", first_port + count - 1), timeout=0.2).close()
        break
    except OSError:
        time.sleep(0.05)
print("ready", flush=True)
try:
    nginx.wait()
finally:
    nginx.kill()

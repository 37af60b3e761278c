#!/usr/bin/env python3
"""A real HTTP(S) server on loopback for keawatch's tests: each path is one behaviour.

Prints "listening PORT" on stdout once it accepts connections. Every request is appended as a JSON
line to --log (method, path, headers, body) so tests can assert what arrived.
"""
import argparse
import base64
import json
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK_BODY = json.dumps([{"arguments": {"high-availability": [{"ha-mode": "load-balancing", "ha-servers": {
    "local": {"role": "primary", "scopes": ["server1"], "state": "load-balancing"},
    "remote": {"age": 0, "analyzed-packets": 0, "communication-interrupted": False, "connecting-clients": 0,
               "in-touch": True, "last-scopes": ["server2"], "last-state": "load-balancing", "role": "secondary",
               "unacked-clients": 0, "unacked-clients-left": 0}}}], "pid": 1, "uptime": 5}, "result": 0}]).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def reply(self, status, body, content_type="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        record = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                  "body": body.decode("utf-8", "replace"), "at": time.time()}
        if self.server.log_path:
            with self.server.lock, open(self.server.log_path, "a") as log:
                log.write(json.dumps(record) + "\n")
        path = self.path.split("?")[0]
        if path == "/ok":
            self.reply(200, OK_BODY)
        elif path == "/slow":
            time.sleep(20)
            self.reply(200, OK_BODY)
        elif path == "/huge":
            self.reply(200, b"[" + b" " * (8 << 20) + b"]")
        elif path == "/not-json":
            self.reply(200, b"<html>not kea</html>", "text/html")
        elif path == "/empty":
            self.reply(200, b"")
        elif path == "/wrong-shape":
            self.reply(200, json.dumps([{"result": 0, "arguments": {"high-availability": [
                {"ha-mode": "load-balancing", "ha-servers": {"local": {"state": 42}}}]}}]).encode())
        elif path == "/kea-error":
            self.reply(200, b'[ { "result": 2, "text": "\'status-get\' command not supported." } ]')
        elif path == "/http-400":
            self.reply(400, b'{ "result": 400, "text": "Bad Request" }')
        elif path == "/auth":
            expected = "Basic " + base64.b64encode(b"keawatch:s3cret-pass").decode()
            if self.headers.get("Authorization") == expected:
                self.reply(200, OK_BODY)
            else:
                self.reply(401, b'{ "result": 401, "text": "Unauthorized" }')
        elif path == "/kea-hostile-strings":
            # States and texts a hostile server could send to a terminal: escapes, NUL, RTL override.
            self.reply(200, json.dumps([{"result": 0, "arguments": {"high-availability": [{
                "ha-mode": "load-\x1b[2Jbalancing", "ha-servers": {
                    "local": {"role": "pri\x00mary", "scopes": [], "state": "\u202eevil\x1b]0;title\x07"}}}]}}]).encode())
        elif path == "/kea-hostile-error":
            self.reply(200, json.dumps([{"result": 1, "text": "boom\x1b[31m red\nforged line\r\x9b"}]).encode())
        elif path == "/auth-echo":
            # A server that repeats the credentials it refused, at length (seen in the wild).
            text = "Unauthorized: " + str(self.headers.get("Authorization")) + " " + "x" * 3_000_000
            self.reply(401, json.dumps({"result": 401, "text": text}).encode())
        elif path == "/kea-error-echo":
            text = "bad credentials " + str(self.headers.get("Authorization")) + " " + "y" * 3_000_000
            self.reply(200, json.dumps([{"result": 1, "text": text}]).encode())
        elif path == "/echo":
            self.reply(200, json.dumps(record).encode())
        elif path == "/close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif path.endswith("/api/v2/alerts") and not path.startswith("/status/"):
            self.reply(200, b"")  # Alertmanager's alert intake
        elif path.startswith("/flaky/"):
            # Down (503) while the file down-NAME exists next to the log: tests switch it.
            name = path.split("/")[2]
            down = self.server.log_path and os.path.exists(os.path.join(os.path.dirname(self.server.log_path), "down-" + name))
            self.reply(503 if down else 200, b'{"flaky": "%s"}' % (b"down" if down else b"up"))
        elif path.startswith("/kea/"):
            # A healthy Kea status-get answer, or 503 while down-NAME exists (a Kea that went away).
            name = path.split("/")[2]
            down = self.server.log_path and os.path.exists(os.path.join(os.path.dirname(self.server.log_path), "down-" + name))
            self.reply(503 if down else 200, b'{"result": 503, "text": "down"}' if down else OK_BODY)
        elif path.startswith("/delay/"):
            # /delay/MS/CODE: answers CODE after MS milliseconds (a slow receiver).
            parts = path.split("/")
            time.sleep(int(parts[2]) / 1000)
            self.reply(int(parts[3]), b'{"delayed": true}')
        elif path.startswith("/status/"):
            code = int(path.split("/")[2])
            extra = [("Retry-After", self.headers.get("X-Retry-After"))] if self.headers.get("X-Retry-After") else []
            self.reply(code, b'{"status": %d}' % code, extra=extra)
        else:
            self.reply(404, b'{"result": 404, "text": "no such behaviour"}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.log_path = args.log
    server.lock = threading.Lock()
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

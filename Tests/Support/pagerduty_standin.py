#!/usr/bin/env python3
"""A local stand-in for PagerDuty's Events API v2 (POST /v2/enqueue) with its deduplication:
a trigger whose dedup_key has an open incident adds to that incident instead of opening another;
a resolve closes it; a later trigger with the same key opens a new incident. Requests are checked
the way PagerDuty checks them (400 with "Invalid event" for a missing routing_key, event_action,
or trigger payload fields). GET /incidents lists the incidents as JSON."""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
INCIDENTS = []  # {"dedup_key", "status": "triggered"|"resolved", "triggers": n, "resolves": n, "summary"}


def invalid(errors):
    return 400, {"status": "invalid event", "message": "Event object is invalid", "errors": errors}


def enqueue(event):
    errors = []
    if not isinstance(event, dict):
        return invalid(["Event must be a JSON object"])
    if not event.get("routing_key"):
        errors.append("'routing_key' is missing or blank")
    action = event.get("event_action")
    if action not in ("trigger", "acknowledge", "resolve"):
        errors.append("'event_action' is invalid (must be one of trigger, acknowledge or resolve)")
    key = event.get("dedup_key")
    if action == "trigger":
        payload = event.get("payload") or {}
        for field in ("summary", "source", "severity"):
            if not payload.get(field):
                errors.append(f"'payload.{field}' is missing or blank")
        if payload.get("severity") not in (None, "critical", "error", "warning", "info"):
            errors.append("'payload.severity' is invalid")
    elif not key:
        errors.append("'dedup_key' is missing or blank")
    if errors:
        return invalid(errors)
    with LOCK:
        open_incident = next((i for i in INCIDENTS if i["dedup_key"] == key and i["status"] == "triggered"), None)
        if action == "trigger":
            if open_incident:
                open_incident["triggers"] += 1
            else:
                INCIDENTS.append({"dedup_key": key, "status": "triggered", "triggers": 1, "resolves": 0,
                                  "summary": event["payload"]["summary"], "class": event["payload"].get("class"),
                                  "source": event["payload"]["source"]})
        elif action == "resolve" and open_incident:
            open_incident["status"] = "resolved"
            open_incident["resolves"] += 1
        elif action == "resolve":
            for incident in INCIDENTS:
                if incident["dedup_key"] == key:
                    incident["resolves"] += 1
    return 202, {"status": "success", "message": "Event processed", "dedup_key": key}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/incidents":
            with LOCK:
                self.reply(200, INCIDENTS)
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path != "/v2/enqueue":
            return self.reply(404, {"error": "not found"})
        try:
            event = json.loads(raw)
        except ValueError:
            return self.reply(*invalid(["Body is not valid JSON"]))
        self.reply(*enqueue(event))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

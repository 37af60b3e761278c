#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) on loopback for keawatch's tests.

Modes: plain (no STARTTLS), --starttls CERT KEY (offers STARTTLS), --implicit-tls CERT KEY (smtps),
--auth USER:PASS (AUTH PLAIN/LOGIN required; offered only over TLS unless --auth-in-clear).
Prints "listening PORT" when ready. Appends one JSON line per SMTP command and per delivered
message to --log, so that tests can prove what was (and was not) sent.
"""
import argparse
import asyncio
import json
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword, SMTP


def uses_tls(server, session):
    """STARTTLS sets session.ssl; implicit TLS shows only on the transport."""
    return session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None


class Recorder:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, record):
        record["at"] = time.time()
        with self.lock, open(self.path, "a") as log:
            log.write(json.dumps(record) + "\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.write({"command": "EHLO", "tls": uses_tls(server, session)})
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.write({"command": "MAIL", "from": address, "tls": uses_tls(server, session),
                    "authenticated": session.authenticated})
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.write({"command": "RCPT", "to": address})
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.write({"command": "DATA", "from": envelope.mail_from, "to": envelope.rcpt_tos,
                    "tls": uses_tls(server, session), "authenticated": session.authenticated,
                    "message": envelope.content.decode("utf-8", "replace")})
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", required=True)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth")
    parser.add_argument("--auth-in-clear", action="store_true")
    args = parser.parse_args()

    recorder = Recorder(args.log)
    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            recorder.write({"command": "AUTH", "mechanism": mechanism, "success": ok})
            return AuthResult(success=ok, handled=False)

        # Implicit TLS is TLS from the first byte (aiosmtpd only counts STARTTLS as TLS for AUTH).
        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=not (args.auth_in_clear or args.implicit_tls))
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        kwargs.update(tls_context=context)
    controller_kwargs = {}
    if args.implicit_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.implicit_tls)
        controller_kwargs["ssl_context"] = context

    # Find a free port first: the controller wants a fixed one.
    import socket
    probe = socket.socket()
    probe.bind(("127.0.0.1", args.port))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, server_hostname="keawatch-test",
                            ready_timeout=10, **controller_kwargs, **kwargs)
    controller.start()
    print(f"listening {port}", flush=True)
    try:
        threading.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())

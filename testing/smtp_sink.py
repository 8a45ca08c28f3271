#!/usr/bin/env python3
"""A real SMTP server on loopback for CertWatch's tests (aiosmtpd, PyPI). It keeps every message
it accepts as DIR/NNNNNN.eml (the bytes as received) and DIR/NNNNNN.json (envelope sender and
recipients, and the client's address and port).

    python3 testing/smtp_sink.py --port 0 --out DIR [--tls-cert CERT --tls-key KEY]
        [--require-starttls] [--auth USER:PASS] [--exit-with-stdin]

Prints "listening on PORT" once ready.
"""
import argparse
import json
import logging
import os
import socket
import ssl
import sys
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keep:
    def __init__(self, out):
        self.out = out
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.out, f"{self.count:06d}")
        with open(name + ".json", "w") as meta:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "peer": list(session.peer)}, meta)
        with open(name + ".eml.part", "wb") as raw:
            raw.write(envelope.original_content or envelope.content)
        os.rename(name + ".eml.part", name + ".eml")
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--exit-with-stdin", action="store_true")
    args = parser.parse_args()
    # aiosmtpd warns on every connection that AUTH without TLS is unsafe: true, and expected here.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    os.makedirs(args.out, exist_ok=True)
    port = args.port or free_port()
    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=args.require_starttls)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        options.update(authenticator=authenticate, auth_require_tls=bool(args.tls_cert), auth_required=True)
    controller = Controller(Keep(args.out), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(f"listening on {port}", flush=True)
    try:
        if args.exit_with_stdin:
            sys.stdin.read()
        else:
            while True:
                time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

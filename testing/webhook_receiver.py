#!/usr/bin/env python3
"""A webhook receiver for CertWatch's tests: a real HTTP server on loopback that checks every
message's Standard Webhooks signature with the `standardwebhooks` package (PyPI) and records
what it got.

    python3 testing/webhook_receiver.py --port 0 [--exit-with-stdin]

Prints "listening on PORT" once ready. Controlled over HTTP:
    POST /_control/secrets   {"secrets": ["whsec_..."]}   secrets a message may be signed with
    POST /_control/answers   {"answers": [[500], [500], [429, "2"], [200, null, 3.0]]}
        the next answers, in order: [status, Retry-After or null, seconds to wait first,
        Location or null] (a 3xx with a Location is a redirect a sender must not follow);
        once used up every message gets 200
    GET  /_control/received  every message so far: {webhookId, timestamp, verified, verifiedWith,
                             error, status, body}
Any other POST is a webhook.
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

lock = threading.Lock()
state = {"secrets": [], "answers": [], "received": []}


def verify(body, headers):
    """The index of the first secret that verifies the message, or the error."""
    errors = []
    for index, secret in enumerate(state["secrets"]):
        try:
            Webhook(secret).verify(body, headers)
            return index, None
        except WebhookVerificationError as error:
            errors.append(str(error))
    return None, "; ".join(errors) or "no secret configured"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        if self.path == "/_control/received":
            with lock:
                body = json.dumps(state["received"]).encode()
            self.reply(200, body, [("Content-Type", "application/json")])
        else:
            self.reply(404)

    def do_POST(self):
        body = self.read_body()
        if self.path.startswith("/_control/"):
            request = json.loads(body or b"{}")
            with lock:
                if self.path == "/_control/secrets":
                    state["secrets"] = request["secrets"]
                elif self.path == "/_control/answers":
                    state["answers"] = request["answers"]
            self.reply(204)
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        with lock:
            index, error = verify(body, headers)
            answer = state["answers"].pop(0) if state["answers"] else [200]
        status, retry_after, wait, location = (answer + [None, None, None])[:4]
        if wait:
            time.sleep(wait)
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        with lock:
            state["received"].append({
                "webhookId": headers.get("webhook-id"), "timestamp": headers.get("webhook-timestamp"),
                "verified": index is not None, "verifiedWith": index, "error": error, "status": status, "body": parsed,
            })
        self.reply(status, b"{}", ([("Retry-After", retry_after)] if retry_after else []) + ([("Location", location)] if location else []))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--exit-with-stdin", action="store_true")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    if args.exit_with_stdin:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read()
    else:
        server.serve_forever()


if __name__ == "__main__":
    main()

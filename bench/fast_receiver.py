#!/usr/bin/env python3
"""A fast loopback webhook receiver for bench/webhooks.sh: asyncio, keep-alive, and every
message's signature checked with the `standardwebhooks` package.

    python3 bench/fast_receiver.py PORT SECRET_FILE

The secret is read from SECRET_FILE on the first message (the endpoint is registered after the
receiver starts). GET /_stats answers {"received": N, "verified": N, "ids": distinct webhook-ids}.
"""
import asyncio
import json
import sys

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

stats = {"received": 0, "verified": 0}
ids = set()
webhook = None


def check(body, headers):
    global webhook
    if webhook is None:
        webhook = Webhook(open(sys.argv[2]).read().strip())
    stats["received"] += 1
    ids.add(headers.get("webhook-id"))
    try:
        webhook.verify(body, headers)
        stats["verified"] += 1
    except WebhookVerificationError:
        pass


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path = lines[0].split(" ")[:2]
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if method == "GET" and path == "/_stats":
                answer = json.dumps({**stats, "ids": len(ids)}).encode()
            else:
                check(body, headers)
                answer = b""
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(answer), answer))
    except (asyncio.IncompleteReadError, ConnectionResetError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    async with server:
        await server.serve_forever()


asyncio.run(main())

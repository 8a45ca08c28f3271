#!/usr/bin/env python3
"""A test double of USDA's Organic INTEGRITY public data service, on loopback.

Serves the bulk download (GET .../rest/GetAllOperationsPublicData: a zip holding one XML file)
and the JSON web service (POST .../rest/Operations, .../rest/Operations/Count, .../rest/Items)
from operations it generates (every status, scopes, items, every date format, non-ASCII and
other names), and takes orders on /_control to change an operation or inject a fault.

    python3 testing/integrity_double.py [--port 0] [--operations 40] [--seed 7]

Prints "listening on PORT" when ready. Control API (JSON bodies):
    GET  /_control/operations               every operation's fields, with its items
    POST /_control/operations/NOPID         {"op_status": "Suspended", ...}: change fields
    POST /_control/delete/NOPID             the operation is no longer listed
    POST /_control/fault                    {"fault": NAME, "times": N}; NAME one of FAULTS
    POST /_control/reset                    regenerate the data, clear faults and counters
    GET  /_control/requests                 how many requests each path has had
"""
import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

BASE = "/IntegrityPubDataServices/OidPublicDataService.svc"
FAULTS = {
    "none": "answer normally",
    "html": "a 200 answer that is an HTML error page",
    "success_false": "JSON with success: false",
    "truncated_zip": "the bulk zip cut in half",
    "corrupt_zip": "bytes that start like a zip and are not one",
    "missing_column": "op_status renamed to op_Status",
    "bad_date": "an anniversary date in no known format",
    "small": "a valid bulk download with a single operation",
    "unknown_status": "an operation status never seen before",
    "http_500": "HTTP 500 (retryable)",
    "http_429": "HTTP 429 with Retry-After: 1",
    "http_403": "HTTP 403: the API key is rejected",
    "slow": "wait 5 seconds, then answer normally",
}
STATUSES = ["Certified", "Certified", "Certified", "Surrendered", "Suspended", "Revoked", "Transitional",
            "Denied Certification", "Withdrew with NONC", "Withdrew from Transitional"]
NAMES = ["Northfield Grain Co-op", "Bergkräuter Genossenschaft", "Café Orgánico del Sur", "Prairie Dairy Farms",
         "Ōtsuka Tea Garden", "Sunrise Seeds Ltd", "Valle Verde Aguacates", "Łąka Honey", "Fjällmjölk AB", "Olivar Ñandú"]
SCOPES = [("opSC_CR", "CROPS", ["Avocados", "Wheat", "Oats", "Lemons", "Peppermint"]),
          ("opSC_LS", "LIVESTOCK", ["Milk", "Eggs", "Beef cattle"]),
          ("opSC_WC", "WILD CROPS", ["Chamomile", "Blueberries"]),
          ("opSC_HANDLING", "HANDLING", ["Rolled oats", "Guacamole", "Olive oil"])]


def iso(day: dt.date) -> str:
    return day.isoformat() + "T00:00:00"


def us(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def wcf(day: dt.date) -> str:
    ms = int(dt.datetime(day.year, day.month, day.day, 5, tzinfo=dt.timezone.utc).timestamp() * 1000)
    return f"/Date({ms}-0500)/"


class World:
    """The operations the double serves, and the faults it has been told to inject."""

    def __init__(self, count: int, seed: int):
        self.count, self.seed = count, seed
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        rng = random.Random(self.seed)
        today = dt.date.today()
        self.operations, self.items = {}, {}
        self.fault, self.fault_times, self.requests = "none", 0, {}
        for index in range(self.count):
            nop = str(4920000000 + index)
            status = STATUSES[index % len(STATUSES)]
            # Relative to the day the double runs (tests pass on any date): 90 to 359 days ahead,
            # so no generated operation lapses during a test that asks about the coming weeks.
            anniversary = today + dt.timedelta(days=90 + (index * 37) % 270)
            effective = dt.date(2020 + index % 6, 1 + index % 12, 1 + (index * 3) % 28)
            fmt = [iso, us, iso][index % 3]  # the XML mixes ISO and US dates; JSON answers use WCF
            op = {
                "op_certifierName": "Oregon Tilth Certified Organic" if index % 2 else "CCOF Certification Services",
                "op_nopOpID": nop, "op_name": f"{NAMES[index % len(NAMES)]} {index}",
                "op_otherNames": f"{NAMES[(index + 3) % len(NAMES)]}; DBA {index}" if index % 4 == 0 else "",
                "op_clientID": f"C-{index}", "op_status": status, "op_statusEffectiveDate": fmt(effective),
                "op_nopAnniversaryDate": fmt(anniversary), "op_lastUpdatedDate": iso(today - dt.timedelta(days=30)),
                "opPA_city": ["Ames", "Graz", "São Paulo", "Uruapan"][index % 4],
                "opPA_state": "", "opPA_country": ["United States of America (the)", "Austria", "Brazil", "Mexico"][index % 4],
            }
            items = []
            for number, (field, scope, products) in enumerate(SCOPES):
                held = (index + number) % 3 != 0 or number == 0
                op[field] = ("Certified" if status == "Certified" else status if status in ("Surrendered", "Suspended") else "Certified") if held else ""
                op[field + "_ED"] = fmt(effective) if held else ""
                if held:
                    for product in rng.sample(products, min(2, len(products))):
                        items.append({"ci_nopOpID": nop, "ci_certNumber": f"{nop}-{len(items)}", "ci_nopScope": scope,
                                      "ci_nopCategory": scope.title(), "ci_nopCatName": scope.title(),
                                      "ci_itemList": product, "ci_varieties": "Hass, Fuerte" if product == "Avocados" else "",
                                      "ci_status": "Certified", "ci_statusEffectiveDate": fmt(effective)})
            self.operations[nop], self.items[nop] = op, items

    def take_fault(self) -> str:
        with self.lock:
            fault = self.fault
            if fault != "none" and self.fault_times > 0:
                self.fault_times -= 1
                if self.fault_times == 0:
                    self.fault = "none"
            return fault

    def bulk_xml(self, fault: str) -> bytes:
        operations = list(self.operations.values())
        if fault == "small":
            operations = operations[:1]
        out = io.StringIO()
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<OidPublicData><Operations>\n')
        for number, op in enumerate(operations):
            op = dict(op)
            if fault == "missing_column":
                op["op_Status"] = op.pop("op_status")
            if fault == "bad_date" and number == 0:
                op["op_nopAnniversaryDate"] = "30.04.2027"
            if fault == "unknown_status" and number == 0:
                op["op_status"] = "Pending Review"
            out.write("<Operation>" + "".join(f"<{k}>{escape(v)}</{k}>" if v else f"<{k}/>" for k, v in op.items()) + "</Operation>\n")
        out.write("</Operations><Items>\n")
        wanted = {op["op_nopOpID"] for op in operations}
        for nop, items in self.items.items():
            if nop in wanted:
                for item in items:
                    out.write("<Item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items()) + "</Item>\n")
        out.write("</Items></OidPublicData>\n")
        return out.getvalue().encode("utf-8")

    def bulk_zip(self, fault: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("stream", self.bulk_xml(fault))
        data = buffer.getvalue()
        if fault == "truncated_zip":
            return data[: len(data) // 2]
        if fault == "corrupt_zip":
            return b"PK\x03\x04" + bytes(random.Random(1).randrange(256) for _ in range(len(data)))
        return data

    def json_operation(self, op: dict) -> dict:
        converted = {}
        for key, value in op.items():
            if value and (key.endswith("Date") or key.endswith("_ED")):
                day = self.parse(value)
                converted[key] = wcf(day)
            else:
                converted[key] = value or None
        return converted

    @staticmethod
    def parse(text: str) -> dt.date:
        if "/" in text:
            month, day, year = text.split("/")
            return dt.date(int(year), int(month), int(day))
        return dt.date.fromisoformat(text[:10])


class Handler(BaseHTTPRequestHandler):
    world: World = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log_error(self, format, *args):
        sys.stderr.write("integrity double: " + (format % args) + f" (request line {self.requestline!r})\n")

    def send(self, status: int, body: bytes, content_type: str = "application/json", headers: dict = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, value, status: int = 200):
        self.send(status, json.dumps(value).encode())

    def body(self) -> dict:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    break
                data += chunk
        else:
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        return json.loads(data or b"{}")

    def count(self):
        path = self.path.split("?")[0]
        with self.world.lock:
            self.world.requests[path] = self.world.requests.get(path, 0) + 1

    def transport_fault(self, fault: str) -> bool:
        if fault == "http_500":
            self.send(500, b"<html><body>Server Error</body></html>", "text/html")
        elif fault == "http_429":
            self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
        elif fault == "http_403":
            self.send(403, b'{"error": {"code": "API_KEY_INVALID"}}')
        elif fault == "html":
            self.send(200, b"<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>", "text/html")
        else:
            if fault == "slow":
                time.sleep(5)
            return False
        return True

    def do_GET(self):
        self.count()
        path = self.path.split("?")[0]
        if path == "/_control/operations":
            return self.send_json([dict(op, items=self.world.items[nop]) for nop, op in self.world.operations.items()])
        if path == "/_control/requests":
            return self.send_json(self.world.requests)
        if path == BASE + "/rest/GetAllOperationsPublicData":
            fault = self.world.take_fault()
            if self.transport_fault(fault):
                return
            return self.send(200, self.world.bulk_zip(fault), "application/octet-stream")
        self.send_json({"error": f"no route {path}"}, 404)

    def do_POST(self):
        self.count()
        path = self.path.split("?")[0]
        world = self.world
        request = self.body()  # always read the body: a kept-alive connection must not see its bytes again
        if path.startswith("/_control/operations/"):
            nop = path.rsplit("/", 1)[1]
            with world.lock:
                world.operations[nop].update(request)
            return self.send_json(world.operations[nop])
        if path.startswith("/_control/delete/"):
            nop = path.rsplit("/", 1)[1]
            with world.lock:
                world.operations.pop(nop, None)
                world.items.pop(nop, None)
            return self.send_json({"deleted": nop})
        if path == "/_control/fault":
            if request.get("fault") not in FAULTS:
                return self.send_json({"error": "unknown fault", "faults": FAULTS}, 400)
            with world.lock:
                world.fault, world.fault_times = request["fault"], int(request.get("times", 0))
            return self.send_json({"fault": world.fault})
        if path == "/_control/reset":
            with world.lock:
                world.reset()
            return self.send_json({"reset": True})
        if path.startswith(BASE + "/rest/"):
            return self.web_service(path[len(BASE + "/rest/"):], request)
        self.send_json({"error": f"no route {path}"}, 404)

    def web_service(self, endpoint: str, request: dict):
        fault = self.world.take_fault()
        if self.transport_fault(fault):
            return
        if fault == "success_false":
            return self.send_json({"operations": None, "success": False, "errorMessage": "Internal error"})
        since = request.get("fromDate")
        operations = [op for op in self.world.operations.values()
                      if not since or self.world.parse(op["op_lastUpdatedDate"]) >= dt.date.fromisoformat(since[:10])]
        if endpoint == "Operations/Count":
            return self.send_json({"count": len(operations)})
        if endpoint == "Operations":
            start, count = int(request.get("startIdx", 0)), int(request.get("count", 100))
            page = [self.world.json_operation(op) for op in operations[start:start + count]]
            if fault == "unknown_status" and page:
                page[0]["op_status"] = "Pending Review"
            if fault == "missing_column":
                for op in page:
                    op["op_Status"] = op.pop("op_status")
            return self.send_json({"operations": page, "success": True, "errorMessage": None})
        if endpoint == "Items":
            items = self.world.items.get(str(request.get("operationId")), [])
            start, count = int(request.get("startIdx", 0)), int(request.get("count", 100))
            return self.send_json({"items": [self.world.json_operation(i) for i in items[start:start + count]],
                                   "success": True, "errorMessage": None})
        self.send_json({"error": f"no endpoint {endpoint}"}, 404)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--operations", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--exit-with-stdin", action="store_true", help="exit when standard input closes")
    args = parser.parse_args()
    Handler.world = World(args.operations, args.seed)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.exit_with_stdin:
        # The test that started the double closes our stdin when done (or dies): exit then.
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

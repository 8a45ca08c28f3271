#!/usr/bin/env python3
"""A test double of USDA's Organic INTEGRITY public data service, on loopback, speaking the
shapes the real service was seen to send (docs/integrity.md, "The contract"):

- the bulk download, GET .../OidPublicDataService.svc/rest/GetAllOperationsPublicData and the
  newer .../IntegrityPubDataServices/OIDPublicAPI/GetAllOperationsPublicData: a zip holding one
  XML file named "stream", <Operation> records (op_ fields) then <Item> records (ci_ fields);
- the web service, POST .../rest/Operations, .../rest/Operations/Count, .../rest/OperationsCount
  and .../rest/Items with JSON bodies: WCF DataContract XML answers (OperationsResult, a:Operation
  with PascalCase elements, Scopes/Scope, Addresses/Address, i:nil="true"), as the real service
  answers even JSON requests; WCF JSON (PascalCase, "/Date(ms-0500)/") instead when the request's
  Accept header lists application/json first or after POST /_control/format {"format": "json"}.
  Like a WCF service it reads DateTime members only as "/Date(ms)/": an ISO fromDate or toDate
  gets a 400 HTML "Request Error" page. startIdx counts from 1, as public callers send it;
  the count is <int xmlns=".../Serialization/">N</int> in XML, a bare number in JSON.
  Items come in one of two shapes: "full" (the default: every ci_ field, flags true/false) or
  "real", as the one real Items answer seen (2020) had them: only ItemName, ItemVarieties,
  OtherItems, Organic, Organic100, MadeWithOrganic and ItemStatus; a flag is "true" when set and
  otherwise nil (even-numbered items, counting from 0 in the operation's list) or an empty
  element (odd-numbered), never "false" (JSON: true or null); and every odd-numbered item's
  element names are written with a lower-case first letter (itemName, itemVarieties, ...) in XML;
- a retired web service (POST /_control/web_service {"state": "retired"}): every route under
  .../OidPublicDataService.svc/rest/ answers 404 with WCF's "Endpoint not found" page, before any
  fault, while the bulk download paths keep answering;
- an INTEGRITY_Export workbook of the same data, GET /Integrity/MonthlyReports/INTEGRITY_Export_<date>.xlsx.

It keeps its data in op_/ci_ names and translates to each shape. Dates are relative to the day
it runs. Changing an operation through the control API moves its op_lastUpdatedDate to now,
as INTEGRITY does, so the web service's "changed since" sees it.

    python3 testing/integrity_double.py [--port 0] [--operations 40] [--seed 7]

Prints "listening on PORT" when ready. Control API (JSON bodies):
    GET  /_control/operations               every operation's fields, with its items
    POST /_control/operations/NOPID         {"op_status": "Applied; APEDA Certified", ...}: change fields
    POST /_control/items/NOPID              [{"ci_itemList": "Other", "ci_varieties": "Cheddar Bunnies",
                                             "ci_madeWithOrganic": "true"}, ...]: replace the operation's items
                                            (missing ci_ fields get defaults; moves op_lastUpdatedDate to now)
    POST /_control/delete/NOPID             the operation is no longer listed
    POST /_control/fault                    {"fault": NAME, "times": N, "seconds": S}; NAME one of FAULTS (S: how long slow waits)
    POST /_control/format                   {"format": "xml" | "json"}: how the web service answers
    POST /_control/items_shape              {"shape": "full" | "real"}: how the web service's Items answer
    POST /_control/web_service              {"state": "live" | "retired"}: retired, every .../rest/ route
                                            but the bulk download is WCF's 404 "Endpoint not found"
    POST /_control/reset                    regenerate the data, clear faults, format, items shape,
                                            web service state and counters
    GET  /_control/requests                 how many requests each path has had
    GET  /_control/log                      every request: method, path, query, body, answered status
"""
import argparse
import datetime as dt
import io
import json
import os
import random
import re
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

BASE = "/IntegrityPubDataServices/OidPublicDataService.svc"
BULK_PATHS = (BASE + "/rest/GetAllOperationsPublicData", "/IntegrityPubDataServices/OIDPublicAPI/GetAllOperationsPublicData")
EXPORT_PATH = re.compile(r"^/Integrity/MonthlyReports/INTEGRITY_Export_\d{8}\.xlsx$")
FAULTS = {
    "none": "answer normally",
    "html": "a 200 answer that is an HTML error page",
    "success_false": "web service: <Success>false</Success> with an <ErrorMessage>",
    "truncated_zip": "the bulk zip cut in half",
    "corrupt_zip": "bytes that start like a zip and are not one",
    "missing_column": "bulk: op_status renamed to op_Status; web service: NOPOperationStatus renamed to OperationStatus",
    "bad_date": "the first listed operation's anniversary date in no known format",
    "small": "a valid bulk download with a single operation",
    "unknown_status": "the first listed operation has a status never seen before (Pending Review): data, not an error",
    "unknown_status_flood": "every other listed operation has a status never seen before: a changed vocabulary",
    "repeat_row": "web service: each page after the first starts with the previous page's last row",
    "count_route_404": "web service: Operations/Count is not found (404); OperationsCount answers",
    "request_error": "every request gets WCF's 400 HTML Request Error page",
    "http_500": "HTTP 500 (retryable)",
    "http_429": "HTTP 429 with Retry-After: 1",
    "http_403": "HTTP 403: the API key is rejected",
    "slow": "wait 5 seconds (or the request's \"seconds\"), then answer normally",
}
STATUSES = ["Certified", "Certified", "Certified", "Surrendered", "Suspended", "Revoked", "Transitional",
            "Denied Certification", "Withdrew with NONC", "Withdrew from Transitional"]
NAMES = ["Northfield Grain Co-op", "Bergkräuter Genossenschaft", "Café Orgánico del Sur", "Prairie Dairy Farms",
         "Ōtsuka Tea Garden", "Sunrise Seeds Ltd", "Valle Verde Aguacates", "Łąka Honey", "Fjällmjölk AB", "Olivar Ñandú"]
CERTIFIERS = ["[CCOF] CCOF Certification Services, LLC", "[OTCO] Oregon Tilth Certified Organic",
              " [MOSA] Midwest Organic Services Association, Inc. "]
COUNTRIES = [("United States of America (the)", "USA", "Ames"), ("Austria", "AUT", "Graz"), ("Brazil", "BRA", "São Paulo"),
             ("Mexico", "MEX", "Uruapan")]
COUNTRY_CODES = {name: code for name, code, _ in COUNTRIES} | {"India": "IND"}
SCOPES = [("opSC_CR", "CROPS", "Crops", ["Avocados", "Wheat", "Oats", "Lemons", "Peppermint"]),
          ("opSC_LS", "LIVESTOCK", "Livestock", ["Milk", "Eggs", "Beef cattle"]),
          ("opSC_WC", "WILD CROPS", "Wild Crops", ["Chamomile", "Blueberries"]),
          ("opSC_HANDLING", "HANDLING", "Handling", ["Rolled oats", "Guacamole", "Olive oil"])]
FLAGS = {"opEx_broker": "Broker", "opEx_csa": "CSA", "opEx_copacker": "Copacker", "opEx_dairy": "Dairy",
         "opEx_distributor": "Distributor", "opEx_growerGroup": "GrowerGroup", "opEx_marketerTrader": "MarketerTrader",
         "opEx_poultry": "Poultry", "opEx_privateLabeler": "PrivateLabeler", "opEx_restaurant": "Restaurant",
         "opEx_retailer": "RetailFoodEstablishment", "opEx_slaughterHouse": "Slaughterhouse", "opEx_storage": "Storage"}
# op_ field -> the web service's element, for the plain fields (dates marked).
OPERATION_ELEMENTS = {"op_opExtraInfo": "AdditionalInformation", "opCert_url": "CertificateURL",
                      "op_certifierName": "CertifierName", "op_clientID": "ClientOperationID",
                      "op_contFirstName": "ContactFirstName", "op_contLastName": "ContactLastName", "op_email": "Email",
                      "op_lastUpdatedDate": "LastUpdateDate", "op_nopAnniversaryDate": "NOPAnniversaryDate",
                      "op_nopOpID": "NOPOperationID", "op_status": "NOPOperationStatus", "op_name": "OperationName",
                      "op_otherNames": "OperationOtherNames", "op_phone": "Phone", "op_statusEffectiveDate": "StatusEffectiveDate",
                      "op_url": "WebsiteURL"} | FLAGS
ADDRESS_ELEMENTS = {"line1": "AddressLine1", "line2": "AddressLine2", "city": "City", "country": "CountryCode3",
                    "county": "County", "countyCode": "CountyCode", "state": "StateOrProvince", "zip": "ZipOrPostalCode"}
ITEM_ELEMENTS = {"ci_certNumber": "CertificateNumber", "ci_itemList": "ItemName", "ci_status": "ItemStatus",
                 "ci_varieties": "ItemVarieties", "ci_madeWithOrganic": "MadeWithOrganic", "ci_nopCatName": "NOPCategoryName",
                 "ci_nopScope": "NOPScope", "ci_organic": "Organic", "ci_organic100": "Organic100",
                 "ci_statusEffectiveDate": "StatusEffectiveDate"}
# The one real Items answer seen had only these elements (ItemName can be the generic "Other",
# the product then in ItemVarieties); its flags were "true" or said nothing.
REAL_ITEM_ELEMENTS = {"ci_itemList": "ItemName", "ci_varieties": "ItemVarieties", "ci_status": "ItemStatus"}
REAL_ITEM_FLAGS = {"ci_organic": "Organic", "ci_organic100": "Organic100", "ci_madeWithOrganic": "MadeWithOrganic"}
ITEM_SHAPES = ("full", "real")
WEB_SERVICE_STATES = ("live", "retired")


class Empty:
    """An element written empty (<a:Organic/>) in XML, null in JSON: a flag that says nothing."""

    def __repr__(self):
        return "EMPTY"


EMPTY = Empty()
NS_RESULT = "http://schemas.datacontract.org/2004/07/OID.WebServices.Common.OperationXMLGenerator"
NS_COMMON = "http://schemas.datacontract.org/2004/07/OID.WebServices.Common.Common"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_SERIALIZATION = "http://schemas.microsoft.com/2003/10/Serialization/"
WCF_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
REQUEST_ERROR = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Request Error</title><style>BODY {{ color: #000000; }}</style></head>
<body><div id="content"><p class="heading1">Request Error</p><p>The server encountered an error processing the request.
The exception message is '{message}'. See server logs for more details.</p></div></body></html>"""


def iso(day: dt.date) -> str:
    return day.isoformat() + "T00:00:00"


def us(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def bulk_text(value) -> str:
    """A stored field as the bulk XML writes it: a bool as true/false, None as empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def now_text() -> str:
    """INTEGRITY's LastUpdateDate form: local time with milliseconds (the double's is UTC)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="milliseconds")


def parse_instant(text: str) -> dt.datetime:
    """A stored op_ date (ISO with or without time, or US M/D/YYYY) as a naive UTC instant."""
    if "/" in text:
        month, day, year = text.split(" ")[0].split("/")
        return dt.datetime(int(year), int(month), int(day))
    return dt.datetime.fromisoformat(text) if "T" in text else dt.datetime.fromisoformat(text[:10])


def wcf(text: str, instant: bool = False) -> str:
    """A stored date as WCF JSON writes a DateTime: UTC milliseconds and the sender's offset.
    A calendar day is midnight at -0500; an instant (LastUpdateDate) is given in UTC."""
    moment = parse_instant(text)
    if instant:
        return f"/Date({int(moment.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)})/"
    ms = int(dt.datetime(moment.year, moment.month, moment.day, 5, tzinfo=dt.timezone.utc).timestamp() * 1000)
    return f"/Date({ms}-0500)/"


def xml_date(text: str) -> str:
    """A stored date as DataContract XML writes a DateTime: ISO, milliseconds kept when there are any."""
    return text if "T" in text else iso(parse_instant(text).date())


class World:
    """The operations the double serves, the faults it has been told to inject, what it was asked."""

    def __init__(self, count: int, seed: int):
        self.count, self.seed = count, seed
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        rng = random.Random(self.seed)
        today = dt.date.today()
        self.operations, self.items = {}, {}
        self.fault, self.fault_times, self.format, self.slow_seconds = "none", 0, "xml", 5.0
        self.items_shape, self.web_service = "full", "live"
        self.requests, self.log = {}, []
        for index in range(self.count):
            nop = str(4920000000 + index)
            status = STATUSES[index % len(STATUSES)]
            # Relative to the day the double runs (tests pass on any date): 90 to 359 days ahead,
            # so no generated operation lapses during a test that asks about the coming weeks.
            anniversary = today + dt.timedelta(days=90 + (index * 37) % 270)
            effective = dt.date(2020 + index % 6, 1 + index % 12, 1 + (index * 3) % 28)
            fmt = [iso, us, iso][index % 3]  # the bulk XML mixes ISO and US dates
            country, _, city = COUNTRIES[index % len(COUNTRIES)]
            op = {
                "op_certifierName": CERTIFIERS[index % len(CERTIFIERS)],
                "op_nopOpID": nop, "op_name": f"{NAMES[index % len(NAMES)]} {index}",
                "op_otherNames": f"{NAMES[(index + 3) % len(NAMES)]}; DBA {index}" if index % 4 == 0 else "N/A" if index % 4 == 1 else "",
                "op_clientID": f"C-{index}", "op_contFirstName": "Ana", "op_contLastName": f"Grower {index}",
                "op_status": status, "op_statusEffectiveDate": fmt(effective),
                "op_nopAnniversaryDate": fmt(anniversary) if index % 10 != 9 else "",  # often nil in real answers
                "op_lastUpdatedDate": (dt.datetime.combine(today, dt.time(18, 4, 59, 607000)) - dt.timedelta(days=30))
                .isoformat(timespec="milliseconds"),
                "opPA_line1": f"{index} Main Street", "opPA_line2": "", "opPA_city": city, "opPA_state": "",
                "opPA_country": country, "opPA_zip": f"{50010 + index}", "opPA_county": "", "opPA_countyCode": "",
                "opMA_line1": f"PO Box {index}" if index % 2 else "", "opMA_city": city if index % 2 else "",
                "opMA_country": country if index % 2 else "",
                "op_phone": f"+1 515 555 {index:04d}", "op_email": f"office{index}@example.org", "op_url": "",
                "op_opExtraInfo": "", "opCert_url": f"https://organic.ams.usda.gov/integrity/CP/OPP?nopid={nop}",
            }
            for flag in FLAGS:
                op[flag] = "true" if (index + len(flag)) % 7 == 0 else "false"
            items = []
            for number, (field, scope, _, products) in enumerate(SCOPES):
                held = (index + number) % 3 != 0 or number == 0
                op[field] = ("Certified" if status == "Certified" else status if status in ("Surrendered", "Suspended") else "Certified") if held else ""
                op[field + "_ED"] = fmt(effective) if held else ""
                if held:
                    for product in rng.sample(products, min(2, len(products))):
                        items.append({"ci_nopOpID": nop, "ci_certNumber": f"{nop}-{len(items)}", "ci_nopScope": scope,
                                      "ci_nopCategory": scope.title(), "ci_nopCatName": scope.title(),
                                      "ci_itemList": product, "ci_varieties": "Hass, Fuerte" if product == "Avocados" else "",
                                      "ci_status": "Certified", "ci_statusEffectiveDate": fmt(effective),
                                      "ci_organic100": "false", "ci_organic": "true", "ci_madeWithOrganic": "false"})
            self.operations[nop], self.items[nop] = op, items

    def take_fault(self) -> str:
        with self.lock:
            fault = self.fault
            if fault != "none" and self.fault_times > 0:
                self.fault_times -= 1
                if self.fault_times == 0:
                    self.fault = "none"
            return fault

    def update(self, nop: str, fields: dict) -> dict:
        """Changes an operation as a certifier would: INTEGRITY then moves its LastUpdateDate."""
        with self.lock:
            op = self.operations[nop]
            op.update(fields)
            if "op_lastUpdatedDate" not in fields:
                op["op_lastUpdatedDate"] = now_text()
            return dict(op)

    def set_items(self, nop: str, given: list) -> dict:
        """Replaces an operation's items (ci_ fields, defaults for the missing ones) as a certifier
        would: INTEGRITY then moves the operation's LastUpdateDate."""
        items = []
        for number, fields in enumerate(given):
            item = {"ci_nopOpID": nop, "ci_certNumber": f"{nop}-{number}", "ci_nopScope": "HANDLING",
                    "ci_nopCategory": "Handling", "ci_nopCatName": "Handling", "ci_itemList": "", "ci_varieties": "",
                    "ci_status": "Certified", "ci_statusEffectiveDate": "", "ci_organic100": "false",
                    "ci_organic": "false", "ci_madeWithOrganic": "false"}
            item.update({key: bulk_text(value) for key, value in fields.items()})
            items.append(item)
        with self.lock:
            op = self.operations[nop]
            self.items[nop] = items
            op["op_lastUpdatedDate"] = now_text()
            return dict(op, items=items)

    @staticmethod
    def faulted(operations: list, fault: str, kind: str) -> list:
        """The listed operations with the record-level fault applied, as copies."""
        listed = [dict(op) for op in operations]
        for number, op in enumerate(listed):
            if fault == "bad_date" and number == 0:
                op["op_nopAnniversaryDate"] = "30.04.2027"
            if (fault == "unknown_status" and number == 0) or (fault == "unknown_status_flood" and number % 2 == 0):
                op["op_status"] = "Pending Review"
            if fault == "missing_column" and kind == "bulk":
                op["op_Status"] = op.pop("op_status")
        return listed

    # The bulk download.

    def bulk_xml(self, fault: str) -> bytes:
        operations = list(self.operations.values())
        if fault == "small":
            operations = operations[:1]
        out = io.StringIO()
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<OidPublicData><Operations>\n')
        for op in self.faulted(operations, fault, "bulk"):
            out.write("<Operation>" + "".join(f"<{k}>{escape(bulk_text(v))}</{k}>" if bulk_text(v) else f"<{k}/>"
                                              for k, v in op.items()) + "</Operation>\n")
        out.write("</Operations><Items>\n")
        wanted = {op["op_nopOpID"] for op in operations}
        for nop, items in self.items.items():
            if nop in wanted:
                for item in items:
                    out.write("<Item>" + "".join(f"<{k}>{escape(bulk_text(v))}</{k}>" if bulk_text(v) else f"<{k}/>"
                                                 for k, v in item.items()) + "</Item>\n")
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

    def export_workbook(self) -> bytes:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import make_sample_workbook  # needs openpyxl; only this route does
        buffer = io.BytesIO()
        rows = [make_sample_workbook.export_row(op, self.items[nop]) for nop, op in self.operations.items()]
        make_sample_workbook.write_export(buffer, rows)
        return buffer.getvalue()

    # The web service's records, as trees of (element, value) where a value is text, None (nil),
    # a bool, or a list of child records; rendered to XML or JSON below.

    @staticmethod
    def ws_operation(op: dict, fault: str) -> dict:
        record = {}
        for field, element in OPERATION_ELEMENTS.items():
            value = op.get(field) or None
            if field in FLAGS:
                value = value == "true"
            record[element] = value
        record["GrowerGroupSize"], record["HasCertificate"], record["TotalAcreageInAcres"] = None, True, 120.5
        addresses = []
        for prefix, kind in (("opPA_", "Physical"), ("opMA_", "Mailing")):
            if not any(op.get(prefix + key) for key in ADDRESS_ELEMENTS):
                continue
            address = {element: op.get(prefix + key) or None for key, element in ADDRESS_ELEMENTS.items()}
            address["CountryCode3"] = COUNTRY_CODES.get(op.get(prefix + "country") or "", op.get(prefix + "country") or None)
            address["AddressType"] = kind
            addresses.append(address)
        record["Addresses"] = ("Address", addresses)
        scopes = [{"NOPScope": label, "NOPScopeStatus": op[field], "StatusEffectiveDate": op.get(field + "_ED") or None}
                  for field, _, label, _ in SCOPES if op.get(field)]
        record["Scopes"] = ("Scope", scopes)
        if fault == "missing_column":
            record["OperationStatus"] = record.pop("NOPOperationStatus")
        return record

    @staticmethod
    def ws_item(item: dict, shape: str = "full", number: int = 0) -> dict:
        """An item as the web service answers it; number is its place in the operation's list, from 0."""
        if shape == "real":
            record = {element: item.get(field) or None for field, element in REAL_ITEM_ELEMENTS.items()}
            for field, element in REAL_ITEM_FLAGS.items():
                record[element] = True if bulk_text(item.get(field)).lower() == "true" else None if number % 2 == 0 else EMPTY
            record["OtherItems"] = None
            return record
        record = {element: item.get(field) or None for field, element in ITEM_ELEMENTS.items()}
        scope = item.get("ci_nopScope") or None
        record["NOPScope"] = next((label for _, code, label, _ in SCOPES if code == scope), scope)
        for flag in ("MadeWithOrganic", "Organic", "Organic100"):
            record[flag] = record[flag] == "true"
        record["OtherItems"] = None
        return record

    @staticmethod
    def is_date(element: str) -> bool:
        return element.endswith("Date")

    def render_xml(self, result: str, list_name: str, records: list, entry: str, success: bool, error,
                   lowered=()) -> bytes:
        """lowered: the places of the records whose element names are written with a lower-case first letter."""
        def value_xml(name, value):
            if isinstance(value, tuple):
                child, rows = value
                if not rows:
                    return f"<a:{name}/>"
                return f"<a:{name}>" + "".join(f"<a:{child}>{fields_xml(row)}</a:{child}>" for row in rows) + f"</a:{name}>"
            if value is None:
                return f'<a:{name} i:nil="true"/>'
            if value is EMPTY:
                return f"<a:{name}/>"
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif not isinstance(value, str):
                value = str(value)
            elif self.is_date(name):
                value = xml_date(value)
            return f"<a:{name}>{escape(value)}</a:{name}>"

        def fields_xml(record, lower=False):
            return "".join(value_xml(name[:1].lower() + name[1:] if lower else name, record[name]) for name in sorted(record))

        body = "".join(f"<a:{entry}>{fields_xml(record, number in lowered)}</a:{entry}>" for number, record in enumerate(records))
        error_xml = f"<ErrorMessage>{escape(error)}</ErrorMessage>" if error else '<ErrorMessage i:nil="true"/>'
        listed = f'<{list_name} xmlns:a="{NS_COMMON}">{body}</{list_name}>' if success else f'<{list_name} i:nil="true"/>'
        return (f'<{result} xmlns="{NS_RESULT}" xmlns:i="{NS_XSI}">{error_xml}{listed}'
                f'<Success>{"true" if success else "false"}</Success></{result}>').encode("utf-8")

    def render_json(self, list_name: str, records: list, success: bool, error) -> bytes:
        def value_json(name, value):
            if isinstance(value, tuple):
                return [{key: value_json(key, v) for key, v in sorted(row.items())} for row in value[1]]
            if isinstance(value, str) and self.is_date(name):
                return wcf(value, instant=name == "LastUpdateDate")
            return None if value is EMPTY else value

        listed = [{name: value_json(name, v) for name, v in sorted(record.items())} for record in records] if success else None
        return json.dumps({"ErrorMessage": error, list_name: listed, "Success": success}).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    world: World = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log_error(self, format, *args):
        sys.stderr.write("integrity double: " + (format % args) + f" (request line {self.requestline!r})\n")

    def send(self, status: int, body: bytes, content_type: str = "application/json", headers: dict = None):
        if getattr(self, "entry", None) is not None:
            self.entry["status"] = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, value, status: int = 200):
        self.send(status, json.dumps(value).encode())

    def read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    break
                data += chunk
            return data
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def record(self, body) -> None:
        """Counts the request by path and logs it (the api_key's value is shown as given)."""
        url = urlsplit(self.path)
        self.entry = {"method": self.command, "path": url.path, "query": dict(parse_qsl(url.query)), "body": body,
                      "accept": self.headers.get("Accept"), "status": None}
        with self.world.lock:
            self.world.requests[url.path] = self.world.requests.get(url.path, 0) + 1
            self.world.log.append(self.entry)

    def transport_fault(self, fault: str) -> bool:
        if fault == "http_500":
            self.send(500, b"<html><body>Server Error</body></html>", "text/html")
        elif fault == "http_429":
            self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
        elif fault == "http_403":
            self.send(403, b'{"error": {"code": "API_KEY_INVALID"}}')
        elif fault == "html":
            self.send(200, b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
                           b"<body><h1>Service Unavailable</h1><p>The site is under maintenance.</p></body></html>", "text/html")
        elif fault == "request_error":
            self.request_error("The incoming message has an unexpected message format 'Raw'.")
        else:
            if fault == "slow":
                time.sleep(self.world.slow_seconds)
            return False
        return True

    def request_error(self, message: str, status: int = 400, title: str = "Request Error"):
        page = REQUEST_ERROR.format(message=escape(message)).replace("Request Error", title)
        self.send(status, page.encode("utf-8"), "text/html; charset=UTF-8")

    def do_GET(self):
        self.record(None)
        path = urlsplit(self.path).path
        if path == "/_control/operations":
            return self.send_json([dict(op, items=self.world.items[nop]) for nop, op in self.world.operations.items()])
        if path == "/_control/requests":
            return self.send_json(self.world.requests)
        if path == "/_control/log":
            with self.world.lock:
                return self.send_json(list(self.world.log))
        if path in BULK_PATHS:
            fault = self.world.take_fault()
            if self.transport_fault(fault):
                return
            return self.send(200, self.world.bulk_zip(fault), "application/octet-stream")
        if EXPORT_PATH.match(path):
            return self.send(200, self.world.export_workbook(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if path.startswith(BASE + "/rest/") and self.world.web_service == "retired":
            return self.endpoint_not_found(path)
        self.send_json({"error": f"no route {path}"}, 404)

    def do_POST(self):
        raw = self.read_body()  # always read the body: a kept-alive connection must not see its bytes again
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            request = None
        self.record(request if request is not None else raw.decode("utf-8", "replace"))
        path = urlsplit(self.path).path
        world = self.world
        if path.startswith("/_control/operations/"):
            nop = path.rsplit("/", 1)[1]
            if nop not in world.operations:
                return self.send_json({"error": f"no operation {nop}"}, 404)
            return self.send_json(world.update(nop, request or {}))
        if path.startswith("/_control/items/"):
            nop = path.rsplit("/", 1)[1]
            if nop not in world.operations:
                return self.send_json({"error": f"no operation {nop}"}, 404)
            if not isinstance(request, list) or not all(isinstance(item, dict) for item in request):
                return self.send_json({"error": "the body is a list of objects with ci_ fields"}, 400)
            return self.send_json(world.set_items(nop, request))
        if path.startswith("/_control/delete/"):
            nop = path.rsplit("/", 1)[1]
            with world.lock:
                world.operations.pop(nop, None)
                world.items.pop(nop, None)
            return self.send_json({"deleted": nop})
        if path == "/_control/fault":
            if (request or {}).get("fault") not in FAULTS:
                return self.send_json({"error": "unknown fault", "faults": FAULTS}, 400)
            with world.lock:
                world.fault, world.fault_times = request["fault"], int(request.get("times", 0))
                world.slow_seconds = float(request.get("seconds", 5))
            return self.send_json({"fault": world.fault})
        if path == "/_control/format":
            if (request or {}).get("format") not in ("xml", "json"):
                return self.send_json({"error": "format is xml or json"}, 400)
            with world.lock:
                world.format = request["format"]
            return self.send_json({"format": world.format})
        if path == "/_control/items_shape":
            if not isinstance(request, dict) or request.get("shape") not in ITEM_SHAPES:
                return self.send_json({"error": "shape is full or real"}, 400)
            with world.lock:
                world.items_shape = request["shape"]
            return self.send_json({"shape": world.items_shape})
        if path == "/_control/web_service":
            if not isinstance(request, dict) or request.get("state") not in WEB_SERVICE_STATES:
                return self.send_json({"error": "state is live or retired"}, 400)
            with world.lock:
                world.web_service = request["state"]
            return self.send_json({"state": world.web_service})
        if path == "/_control/reset":
            with world.lock:
                world.reset()
            return self.send_json({"reset": True})
        if path.startswith(BASE + "/rest/"):
            if world.web_service == "retired":
                return self.endpoint_not_found(path)
            return self.web_service(path[len(BASE + "/rest/"):], request)
        self.send_json({"error": f"no route {path}"}, 404)

    def wants_json(self) -> bool:
        accept = (self.headers.get("Accept") or "").split(",")[0].strip().lower()
        return self.world.format == "json" or accept.startswith("application/json")

    def endpoint_not_found(self, path: str):
        """A retired WCF service's answer to any route: no fault applies and none is used up."""
        address = f"http://{self.headers.get('Host') or '127.0.0.1'}{path}"
        self.request_error(f"There was no channel actively listening at '{address}'. This is often caused by an "
                           f"incorrect address URI. Ensure that the address to which the message is sent matches an "
                           f"address on which a service is listening.", 404, "Endpoint not found")

    def web_service(self, endpoint: str, request):
        fault = self.world.take_fault()
        if self.transport_fault(fault):
            return
        if endpoint not in ("Operations", "Operations/Count", "OperationsCount", "Items") or (
                endpoint == "Operations/Count" and fault == "count_route_404"):
            return self.request_error("There was no channel actively listening.", 404, "Endpoint not found")
        if not isinstance(request, dict):
            return self.request_error("The incoming message is not valid JSON.")
        bounds = {}
        for key in ("fromDate", "toDate"):
            value = request.get(key)
            if value is None:
                continue
            match = WCF_DATE.match(str(value))
            if not match:
                return self.request_error(
                    f"There was an error deserializing the object of type OID.WebServices.Common.OperationFilter. "
                    f"DateTime content '{value}' does not start with '\\/Date(' and end with ')\\/' as required for JSON.")
            bounds[key] = dt.datetime.fromtimestamp(int(match.group(1)) / 1000, dt.timezone.utc).replace(tzinfo=None)
        as_json = self.wants_json()
        if endpoint in ("Operations/Count", "OperationsCount"):
            total = len(self.changed(bounds))
            if as_json:
                return self.send(200, str(total).encode(), "application/json; charset=utf-8")
            return self.send(200, f'<int xmlns="{NS_SERIALIZATION}">{total}</int>'.encode(), "application/xml; charset=utf-8")
        # startIdx counts from 1, as public callers send it; 0 is read as 1.
        start, count = max(int(request.get("startIdx", 1)), 1) - 1, int(request.get("count", 100))
        if fault == "repeat_row" and start > 0:
            start -= 1
        if endpoint == "Operations":
            listed = World.faulted(self.changed(bounds), fault, "web-service")[start:start + count]
            records = [World.ws_operation(op, fault) for op in listed]
            return self.answer("OperationsResult", "Operations", records, "Operation", fault, as_json)
        shape = self.world.items_shape
        items = self.world.items.get(str(request.get("operationId")), [])[start:start + count]
        records = [World.ws_item(item, shape, start + number) for number, item in enumerate(items)]
        # The real shape: every odd-numbered item's element names with a lower-case first letter.
        lowered = {number for number in range(len(items)) if (start + number) % 2 == 1} if shape == "real" else ()
        return self.answer("ItemsResult", "Items", records, "Item", fault, as_json, lowered)

    def changed(self, bounds: dict) -> list:
        """The operations last updated within fromDate..toDate, in NOP ID order."""
        with self.world.lock:
            operations = sorted(self.world.operations.values(), key=lambda op: op["op_nopOpID"])
        return [op for op in operations
                if ("fromDate" not in bounds or parse_instant(op["op_lastUpdatedDate"]) >= bounds["fromDate"])
                and ("toDate" not in bounds or parse_instant(op["op_lastUpdatedDate"]) <= bounds["toDate"])]

    def answer(self, result: str, list_name: str, records: list, entry: str, fault: str, as_json: bool, lowered=()):
        success = fault != "success_false"
        error = None if success else "Internal error"
        if as_json:
            return self.send(200, self.world.render_json(list_name, records, success, error), "application/json; charset=utf-8")
        self.send(200, self.world.render_xml(result, list_name, records, entry, success, error, lowered),
                  "application/xml; charset=utf-8")


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

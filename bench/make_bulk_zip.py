#!/usr/bin/env python3
"""Writes a bulk download like GetAllOperationsPublicData (a zip holding one XML file, streamed)
with N operations and ITEMS items each, NOP IDs 1000000000 + i to match make_suppliers_csv.py:
    python3 bench/make_bulk_zip.py 100000 10 /tmp/bulk.zip
"""
import random
import sys
import zipfile
from xml.sax.saxutils import escape

STATUSES = ["Certified"] * 8 + ["Suspended", "Surrendered"]
PRODUCTS = ["Avocados", "Oats", "Wheat", "Rolled oats", "Milk", "Chamomile", "Guacamole", "Lemons", "Flax seed", "Honey"]
SCOPES = ["CROPS", "LIVESTOCK", "WILD CROPS", "HANDLING"]


def main() -> None:
    count, per_op, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(42)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("stream", "w", force_zip64=True) as raw:
        def write(text: str) -> None:
            raw.write(text.encode("utf-8"))
        write('<?xml version="1.0" encoding="utf-8"?>\n<OidPublicData><Operations>\n')
        for i in range(count):
            status = rng.choice(STATUSES)
            fields = {
                "op_certifierName": "Bench Certifier", "op_nopOpID": str(1_000_000_000 + i),
                "op_name": f"Supplier {i:06d} Organics", "op_otherNames": f"S{i} Farm; Supplier {i} Co-op",
                "op_clientID": f"C{i}", "op_contFirstName": "Ana", "op_contLastName": "Pérez", "op_status": status,
                "op_statusEffectiveDate": "2024-03-19T00:00:00", "op_nopAnniversaryDate": f"2027-{1 + i % 12:02d}-15T00:00:00",
                "op_lastUpdatedDate": "2026-11-01T00:00:00", "opSC_CR": status, "opSC_CR_ED": "2024-03-19T00:00:00",
                "opSC_LS": "", "opSC_LS_ED": "", "opSC_WC": "", "opSC_WC_ED": "", "opSC_HANDLING": "Certified",
                "opSC_HANDLING_ED": "2024-03-19T00:00:00", "opPA_line1": f"{i} Main St", "opPA_city": "Ames",
                "opPA_state": "Iowa", "opPA_country": "United States of America (the)", "opPA_zip": "50010",
                "op_phone": "555-0100", "op_email": f"op{i}@example.com", "opEx_broker": "false", "opEx_storage": "true",
            }
            write("<Operation>" + "".join(f"<{k}>{escape(v)}</{k}>" if v else f"<{k}/>" for k, v in fields.items()) + "</Operation>\n")
        write("</Operations><Items>\n")
        for i in range(count):
            for n in range(per_op):
                fields = {
                    "ci_nopOpID": str(1_000_000_000 + i), "ci_certNumber": f"{i}-{n}", "ci_nopScope": SCOPES[n % 4],
                    "ci_nopCategory": "Category", "ci_nopCatName": "Category name", "ci_itemList": PRODUCTS[(i + n) % 10],
                    "ci_varieties": "Variety A, Variety B" if n % 3 == 0 else "", "ci_status": "Certified",
                    "ci_statusEffectiveDate": "2024-03-19T00:00:00",
                }
                write("<Item>" + "".join(f"<{k}>{escape(v)}</{k}>" if v else f"<{k}/>" for k, v in fields.items()) + "</Item>\n")
        write("</Items></OidPublicData>\n")


if __name__ == "__main__":
    main()

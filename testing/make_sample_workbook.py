#!/usr/bin/env python3
"""Writes a small INTEGRITY_Data-style workbook for the workbook source's tests:
an operations sheet and an items sheet, each with the technical header row found by content
below a title row and followed by a label row and a description row, as USDA's monthly
workbooks have them; dates as real Excel dates and as US text; non-ASCII names.

    python3 testing/make_sample_workbook.py Tests/CertWatchIntegrityTests/Fixtures/INTEGRITY_Data_sample.xlsx
    python3 testing/make_sample_workbook.py Tests/CertWatchIntegrityTests/Fixtures/INTEGRITY_Data_renamed.xlsx --rename op_status=Operation_Status
"""
import datetime as dt
import sys

from openpyxl import Workbook

OPERATION_FIELDS = ["op_certifierName", "op_nopOpID", "op_name", "op_otherNames", "op_status", "op_statusEffectiveDate",
                    "op_nopAnniversaryDate", "op_lastUpdatedDate", "opSC_CR", "opSC_CR_ED", "opSC_LS", "opSC_LS_ED",
                    "opSC_WC", "opSC_WC_ED", "opSC_HANDLING", "opSC_HANDLING_ED", "opPA_city", "opPA_country"]
ITEM_FIELDS = ["ci_nopOpID", "ci_certNumber", "ci_nopScope", "ci_nopCatName", "ci_itemList", "ci_varieties", "ci_status",
               "ci_statusEffectiveDate"]
OPERATIONS = [
    ["CCOF Certification Services", "4920007290", "Northfield Grain Co-op", "Northfield; NGC", "Certified",
     dt.datetime(2019, 4, 12), dt.datetime(2027, 4, 30), dt.datetime(2026, 11, 1), "Certified", dt.datetime(2019, 4, 12),
     None, None, None, None, "Certified", "4/12/2019", "Ames", "United States of America (the)"],
    ["Oregon Tilth Certified Organic", "8150001234", "Valle Verde Aguacates", None, "Suspended",
     dt.datetime(2026, 10, 2), "1/15/2027", dt.datetime(2026, 10, 2), "Suspended", dt.datetime(2026, 10, 2),
     None, None, None, None, None, None, "Uruapan", "Mexico"],
    ["Austria Bio Garantie", "1230004567", "Bergkräuter Genossenschaft", "Kräuterhof", "Surrendered",
     dt.datetime(2025, 12, 15), None, dt.datetime(2025, 12, 15), None, None, None, None, "Surrendered", dt.datetime(2025, 12, 15),
     None, None, "Graz", "Austria"],
]
ITEMS = [
    ["4920007290", "C-1", "CROPS", "Grains", "Wheat, Oats", "Hard Red", "Certified", dt.datetime(2019, 4, 12)],
    ["4920007290", "C-2", "HANDLING", "Processed grains", "Rolled oats", None, "Certified", "4/12/2019"],
    ["8150001234", "C-3", "CROPS", "Fruit", "Avocados", "Hass, Fuerte", "Suspended", dt.datetime(2026, 10, 2)],
    ["1230004567", "C-4", "WILD CROPS", "Herbs", "Chamomile", None, "Surrendered", dt.datetime(2025, 12, 15)],
]


def sheet(workbook, title, fields, rows, first):
    ws = workbook.active if first else workbook.create_sheet()
    ws.title = title
    ws.append([f"USDA Organic INTEGRITY Database — {title} — monthly data history"])
    ws.append(fields)
    ws.append([f.replace("_", " ").title() for f in fields])          # label row
    ws.append(["Description of " + f for f in fields])                 # description row
    for row in rows:
        ws.append(row)
    for cells in ws.iter_rows(min_row=5):
        for cell in cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "m/d/yyyy"


def main():
    fields = list(OPERATION_FIELDS)
    if len(sys.argv) > 3 and sys.argv[2] == "--rename":
        old, new = sys.argv[3].split("=")
        fields[fields.index(old)] = new
    workbook = Workbook()
    sheet(workbook, "Operations", fields, OPERATIONS, True)
    sheet(workbook, "Items", ITEM_FIELDS, ITEMS, False)
    workbook.save(sys.argv[1])


if __name__ == "__main__":
    main()

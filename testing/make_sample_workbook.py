#!/usr/bin/env python3
"""Writes the small INTEGRITY workbooks the workbook source's tests read, in both layouts USDA
publishes each month:

- INTEGRITY_Data (--layout data, the default): an operations sheet and an items sheet, each
  with the technical header row found by content below a title row and followed by a label row
  and a description row; dates as real Excel dates and as US text; non-ASCII names.
- INTEGRITY_Export (--layout export): one sheet of operations whose header row starts with
  Cert_name, label and description rows under it, each scope's products in one cell
  (CR_CertifiedProducts, LS_, WC_, Han_, and more in ..._Add) as "Category: item, item" lines,
  op_certificate as a HYPERLINK formula, dates as Excel dates, bare serial numbers and text.

    python3 testing/make_sample_workbook.py Tests/CertWatchIntegrityTests/Fixtures/INTEGRITY_Data_sample.xlsx
    python3 testing/make_sample_workbook.py Tests/CertWatchIntegrityTests/Fixtures/INTEGRITY_Data_renamed.xlsx --rename op_status=Operation_Status
    python3 testing/make_sample_workbook.py Tests/CertWatchIntegrityTests/Fixtures/INTEGRITY_Export_sample.xlsx --layout export
    python3 testing/make_sample_workbook.py Tests/CertWatchIntegrityTests/Fixtures/INTEGRITY_Export_renamed.xlsx --layout export --rename-products
    python3 testing/make_sample_workbook.py Tests/CertWatchIntegrityTests/Fixtures/INTEGRITY_Export_empty.xlsx --layout export --no-products

The INTEGRITY double (testing/integrity_double.py) serves its own data as an Export workbook
through write_export below.
"""
# The fixed dates below are the committed fixtures' contents, only parsed and read back by WorkbookTests, never compared with today.
import argparse
import datetime as dt

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

# The Export layout: technical names as public readers of real files use them.
SCOPES = [("CR", "opSC_CR", "CROPS"), ("LS", "opSC_LS", "LIVESTOCK"), ("WC", "opSC_WC", "WILD CROPS"),
          ("Han", "opSC_HANDLING", "HANDLING")]
EXPORT_FIELDS = (["Cert_name", "op_nopOpID", "op_name", "op_otherNames", "op_clientID", "op_status", "op_statusEffectiveDate",
                  "op_nopAnniversaryDate", "op_lastUpdatedDate"]
                 + [name for _, field, _ in SCOPES for name in (field, field + "_ED")]
                 + [name for prefix, _, _ in SCOPES for name in (prefix + "_CertifiedProducts", prefix + "_CertifiedProducts_Add")]
                 + ["opPA_city", "opPA_state", "opPA_country", "op_certificate", "Pub_Date"])
# Three operations as the real Export writes them: a bracketed certifier, "N/A" as other names,
# an Indian operation with the status real files give it, dates in every form.
EXPORT_OPERATIONS = [
    {"Cert_name": "[CCOF] CCOF Certification Services, LLC", "op_nopOpID": "4920007290", "op_name": "Northfield Grain Co-op",
     "op_otherNames": "N/A", "op_status": "Certified", "op_statusEffectiveDate": dt.datetime(2019, 4, 12),
     "op_nopAnniversaryDate": 46507, "op_lastUpdatedDate": "11/1/2026",  # a bare serial (2027-04-30) and text
     "opSC_CR": "Certified", "opSC_CR_ED": dt.datetime(2019, 4, 12), "opSC_HANDLING": "Certified", "opSC_HANDLING_ED": "4/12/2019",
     "CR_CertifiedProducts": "Grains: Wheat, Oats\nLegumes: Lentils", "CR_CertifiedProducts_Add": "Hay",
     "Han_CertifiedProducts": "Processed grains: Rolled oats", "opPA_city": "Ames", "opPA_country": "United States of America (the)"},
    {"Cert_name": "[MOSA]  Midwest Organic Services Association, Inc. ", "op_nopOpID": "5860004321",
     "op_name": "Prairie Dairy Farms", "op_otherNames": "Prairie Creamery; DBA Prairie", "op_status": "Suspended",
     "op_statusEffectiveDate": "10/2/2026", "op_nopAnniversaryDate": dt.datetime(2027, 1, 15),
     "opSC_LS": "Suspended", "opSC_LS_ED": "10/2/2026", "LS_CertifiedProducts": "Dairy: Milk; Cheese",
     "opPA_city": "Viroqua", "opPA_state": "Wisconsin", "opPA_country": "United States of America (the)"},
    {"Cert_name": "[ICS] Indian Certification Services", "op_nopOpID": "1670001122", "op_name": "Nilgiri Spice Growers",
     "op_status": "Applied; APEDA Certified", "op_statusEffectiveDate": dt.datetime(2022, 3, 1),
     "opSC_CR": "Certified", "opSC_CR_ED": dt.datetime(2022, 3, 1), "CR_CertifiedProducts": "Spices: Turmeric, Black pepper",
     "opPA_city": "Ooty", "opPA_country": "India"},
]


def mark_dates(ws, first_row):
    for cells in ws.iter_rows(min_row=first_row):
        for cell in cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "m/d/yyyy"


def sheet(workbook, title, fields, rows, first):
    ws = workbook.active if first else workbook.create_sheet()
    ws.title = title
    ws.append([f"USDA Organic INTEGRITY Database — {title} — monthly data history"])
    ws.append(fields)
    ws.append([f.replace("_", " ").title() for f in fields])          # label row
    ws.append(["Description of " + f for f in fields])                 # description row
    for row in rows:
        ws.append(row)
    mark_dates(ws, 5)


def products(items, scope):
    """One scope's items as Export cells: "Category: a, b" lines; the last line goes to ..._Add."""
    lines, by_category = [], {}
    for item in items:
        if item["ci_nopScope"] == scope:
            by_category.setdefault(item.get("ci_nopCatName") or "", []).append(item["ci_itemList"])
    for category, names in by_category.items():
        lines.append((category + ": " if category else "") + ", ".join(names))
    if len(lines) > 1:
        return "\n".join(lines[:-1]), lines[-1]
    return (lines[0] if lines else None), None


def export_row(op, items):
    """An Export row from an operation's op_ fields and ci_ items (what the double serves)."""
    row = dict(op, Cert_name=op.get("op_certifierName"))
    for prefix, _, scope in SCOPES:
        row[prefix + "_CertifiedProducts"], row[prefix + "_CertifiedProducts_Add"] = products(items, scope)
    return row


def write_export(target, rows, rename_products=False):
    """Writes Export-layout rows (dicts keyed by EXPORT_FIELDS) to a path or a binary file."""
    fields = [f.replace("CertifiedProducts", "Products") if rename_products else f for f in EXPORT_FIELDS]
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Operations"
    ws.append(["USDA Organic INTEGRITY Database — search results export format"])
    ws.append(fields)
    ws.append([f.replace("_", " ").title() for f in EXPORT_FIELDS])      # label row
    ws.append(["Description of " + f for f in EXPORT_FIELDS])             # description row
    for row in rows:
        values = [row.get(f) or None for f in EXPORT_FIELDS]
        nop = row.get("op_nopOpID")
        values[EXPORT_FIELDS.index("op_certificate")] = (
            f'=HYPERLINK("https://organic.ams.usda.gov/integrity/CP/OPP?nopid={nop}","View certificate")')
        values[EXPORT_FIELDS.index("Pub_Date")] = dt.datetime(2026, 11, 1)
        ws.append(values)
    mark_dates(ws, 5)
    workbook.save(target)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--layout", choices=["data", "export"], default="data")
    parser.add_argument("--rename", help="OLD=NEW: rename an operations column (data layout)")
    parser.add_argument("--rename-products", action="store_true", help="name the product columns otherwise (export layout)")
    parser.add_argument("--no-products", action="store_true", help="leave every product cell empty (export layout)")
    args = parser.parse_args()
    if args.layout == "export":
        rows = [{k: v for k, v in row.items() if "CertifiedProducts" not in k} if args.no_products else row for row in EXPORT_OPERATIONS]
        return write_export(args.output, rows, rename_products=args.rename_products)
    fields = list(OPERATION_FIELDS)
    if args.rename:
        old, new = args.rename.split("=")
        fields[fields.index(old)] = new
    workbook = Workbook()
    sheet(workbook, "Operations", fields, OPERATIONS, True)
    sheet(workbook, "Items", ITEM_FIELDS, ITEMS, False)
    workbook.save(args.output)


if __name__ == "__main__":
    main()

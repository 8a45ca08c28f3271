#!/usr/bin/env python3
"""Writes the fraud lists FraudListWorkbookTests and FraudNoticesCLITests import, laid out as NOP's
downloadable spreadsheet is described (its real columns have not been seen: docs/integrity.md):

- fraud-list-nop.xlsx: two title rows above the header "Operation Name | Certifying Agent | Date
  Posted | Products"; each name linked to its certificate's PDF (two as hyperlinks, one as a
  HYPERLINK formula with the value Excel stores beside it); dates as date cells and one as text;
  a blank, shaded section row between the notices; text in a shared-string table, as Excel writes.
- fraud-list-unrecognised.xlsx: a title and a header whose columns name no operation or date.
- fraud-list-bad-date.xlsx: the NOP header with a good row and four bad ones (a date no one
  writes, no date, no name, no link).
- fraud-list-mac-1904.xlsx: NOP's list saved with Excel for Mac's old 1904 date system.

    python3 testing/make_fraud_list.py Tests/CertWatchIntegrityTests/Fixtures

Each file is the same on every run (fixed document times and zip entry times), so a
regenerated fixture shows no diff unless its content changed.
"""
# The fixed dates below are the fixtures' contents, read back by the tests, never compared with today.
import datetime as dt
import io
import pathlib
import re
import sys
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904

FIXED = dt.datetime(2026, 1, 1)
PDF = "https://www.ams.usda.gov/sites/default/files/media/"
NOP_HEADER = ["Operation Name", "Certifying Agent", "Date Posted", "Products"]
TITLES = [["National Organic Program — Fraudulent Organic Certificates"],
          ["Click an operation's name to open the fraudulent certificate (PDF)."]]


def linked(ws, row, column, url):
    cell = ws.cell(row=row, column=column)
    cell.hyperlink = url
    cell.font = Font(color="0563C1", underline="single")


def nop_list():
    wb = Workbook()
    ws = wb.active
    ws.title = "Fraudulent Certificates"
    for title in TITLES:
        ws.append(title)
    ws.append([])
    ws.append(NOP_HEADER)                                                                      # line 4
    ws.append(["Northfield Grain Co-op", "Oregon Tilth Certified Organic", dt.datetime(2026, 9, 14), "Wheat, oats"])
    linked(ws, 5, 1, PDF + "NorthfieldGrain-fraudulent-certificate.pdf")
    ws.append(["Fake Organics S.A. de C.V.", None, dt.datetime(2026, 8, 3), "Avocados"])      # no certifier
    linked(ws, 6, 1, PDF + "FakeOrganics-fraudulent-certificate.pdf")
    for column in range(1, 5):                                                                 # line 7: blank, shaded
        ws.cell(row=7, column=column).fill = PatternFill("solid", fgColor="D9D9D9")
    ws.append([])
    ws.cell(row=8, column=1).value = f'=HYPERLINK("{PDF}ValleVerde-fraudulent-certificate.pdf","Valle Verde Aguacates")'
    ws.cell(row=8, column=2).value = "Mayacert"
    ws.cell(row=8, column=3).value = "7/21/2026"                                              # a date written as text
    ws.cell(row=8, column=4).value = "Avocados"
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "m/d/yyyy"
    return wb, {"Valle Verde Aguacates"}


def mac_1904_list():
    wb, names = nop_list()
    wb.epoch = CALENDAR_MAC_1904
    return wb, names


def unrecognised_list():
    wb = Workbook()
    ws = wb.active
    ws.append(["Fraudulent certificates (list)"])
    ws.append(["Organisation", "Agent", "Published", "Document"])
    ws.append(["Northfield Grain Co-op", "Oregon Tilth", dt.datetime(2026, 9, 14), PDF + "NorthfieldGrain.pdf"])
    return wb, set()


def bad_date_list():
    wb = Workbook()
    ws = wb.active
    ws.append(TITLES[0])
    ws.append(NOP_HEADER)                                                                      # line 2
    rows = [
        ["Northfield Grain Co-op", "Oregon Tilth", dt.datetime(2026, 9, 14), "Wheat", "Northfield"],  # line 3: good
        ["Fake Organics", None, "14.09.2026", "Avocados", "FakeOrganics"],                       # line 4: no such date form
        ["Valle Verde Aguacates", "Mayacert", None, "Avocados", "ValleVerde"],                   # line 5: no date
        [None, "Oregon Tilth", dt.datetime(2026, 9, 1), "Oats", "Nameless"],                     # line 6: no name
        ["Unlinked Farms", None, dt.datetime(2026, 9, 2), "Rice", None],                         # line 7: no link
    ]
    for line, (name, certifier, date, products, pdf) in enumerate(rows, start=3):
        ws.append([name, certifier, date, products])
        if pdf:
            linked(ws, line, 1 if name else 4, PDF + pdf + ".pdf")
    return wb, set()


def cached_values(xml, names):
    """openpyxl writes a formula without the value Excel stores beside it; write it as Excel does."""
    for name in names:
        xml = re.sub(r'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")?><f>(HYPERLINK\([^<]*"' + re.escape(name) + r'"\))</f><v\s*/>',
                     lambda m: f'<c r="{m.group(1)}"{m.group(2) or ""} t="str"><f>{m.group(3)}</f><v>{name}</v>', xml)
    return xml


def shared_strings(xml, strings):
    """openpyxl writes text inline; Excel, which NOP's list comes from, writes it once in a table."""
    def index(m):
        if m.group(3) not in strings:
            strings.append(m.group(3))
        return f'<c r="{m.group(1)}"{m.group(2) or ""} t="s"><v>{strings.index(m.group(3))}</v></c>'
    return re.sub(r'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t[^>]*>([^<]*)</t></is></c>', index, xml)


SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def save(wb, names, target, share=False):
    wb.properties.created = FIXED
    buffer = io.BytesIO()
    wb.save(buffer)
    strings = []
    with zipfile.ZipFile(buffer) as source:
        files = {item.filename: source.read(item.filename) for item in source.infolist()}
    # openpyxl stamps the time of saving, whatever `modified` says.
    files["docProps/core.xml"] = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2026-01-01T00:00:00Z<",
                                        files["docProps/core.xml"])
    for name, data in files.items():
        if name.startswith("xl/worksheets/sheet"):
            xml = cached_values(data.decode(), names)
            files[name] = (shared_strings(xml, strings) if share else xml).encode()
    if strings:
        items = "".join(f"<si><t>{text}</t></si>" for text in strings)
        files["xl/sharedStrings.xml"] = (f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                         f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>').encode()
        files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_TYPE}"/></Types>'.encode())
        files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", f'<Relationship Id="rIdShared" Type="{SHARED_RELATION}" Target="sharedStrings.xml"/></Relationships>'.encode())
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "Tests/CertWatchIntegrityTests/Fixtures")
    for name, make, share in [("fraud-list-nop", nop_list, True), ("fraud-list-unrecognised", unrecognised_list, False),
                              ("fraud-list-bad-date", bad_date_list, False), ("fraud-list-mac-1904", mac_1904_list, False)]:
        wb, names = make()
        save(wb, names, folder / f"{name}.xlsx", share)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes fraud-list-nop.xls, NOP's list as an old Excel file (BIFF8, what "Download Fraudulent
Certificate List (xls)" may give), from fraud-list-nop.xlsx with gnumeric's ssconvert:

    python3 testing/make_fraud_list_xls.py Tests/CertWatchIntegrityTests/Fixtures

gnumeric does not take openpyxl's hyperlinks from the xlsx, so the names' links are put back
in its own format (.gnumeric, gzipped XML) before the xls is written: the xls then carries them
as Excel's HLINK records do. Needs ssconvert (apt-get install gnumeric).
"""
import gzip
import os
import subprocess
import sys
import tempfile

PDF = "https://www.ams.usda.gov/sites/default/files/media/"
LINKED_ROWS = {4: PDF + "NorthfieldGrain-fraudulent-certificate.pdf", 5: PDF + "FakeOrganics-fraudulent-certificate.pdf"}


def main():
    fixtures = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        plain = os.path.join(work, "plain.gnumeric")
        subprocess.run(["ssconvert", os.path.join(fixtures, "fraud-list-nop.xlsx"), plain], check=True, capture_output=True)
        text = gzip.open(plain, "rt").read()
        # The names' column (A) on rows 5 and 6 shares one style region; one per row, each with its link.
        start = text.index('<gnm:StyleRegion startCol="0" startRow="4" endCol="0" endRow="5">')
        end = text.index("</gnm:StyleRegion>", start) + len("</gnm:StyleRegion>")
        region = text[start:end]
        linked = "".join(
            region.replace('startRow="4" endCol="0" endRow="5"', f'startRow="{row}" endCol="0" endRow="{row}"')
                  .replace("</gnm:Font>", f'</gnm:Font><gnm:HyperLink type="GnmHLinkURL" target="{url}"/>')
            for row, url in LINKED_ROWS.items())
        with_links = os.path.join(work, "linked.gnumeric")
        with gzip.open(with_links, "wt") as out:
            out.write(text[:start] + linked + text[end:])
        subprocess.run(["ssconvert", "--export-type=Gnumeric_Excel:excel_biff8", with_links,
                        os.path.join(fixtures, "fraud-list-nop.xls")], check=True, capture_output=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the certificate PDFs the document tests upload, with fpdf2 (real PDFs, as a certifier's
software makes them): python3 testing/make_certificate_pdf.py KIND OUT.pdf [NAME NOP ANNIVERSARY CERTIFIER PRODUCTS]

KIND: certificate (text as given), scan (a page with shapes and no text), long (thousands of
pages of text: slow to extract)."""
import sys

from fpdf import FPDF


def certificate(name, nop, anniversary, certifier, products):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    lines = ["Certificate of Organic Operation", f"Operation name: {name}", f"NOP ID: {nop}",
             f"Certified by {certifier}", f"Anniversary Date: {anniversary}", "", "Products:", products, "",
             "This certificate is issued under the USDA organic regulations, 7 CFR Part 205."]
    for line in lines:
        pdf.cell(w=0, h=8, text=line, new_x="LMARGIN", new_y="NEXT")
    return pdf


def scan():
    pdf = FPDF()
    pdf.add_page()
    for row in range(40):  # what a scanner leaves: marks, no text layer
        pdf.rect(10 + row * 4, 20 + row * 6, 30, 3, style="F")
    return pdf


def long_document():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=6)
    for page in range(1000):
        pdf.add_page()
        for line in range(40):
            pdf.cell(w=0, h=6, text=f"Page {page} line {line}: organic handling records " * 3, new_x="LMARGIN", new_y="NEXT")
    return pdf


def main():
    kind, out = sys.argv[1], sys.argv[2]
    if kind == "certificate":
        pdf = certificate(*sys.argv[3:8])
    elif kind == "scan":
        pdf = scan()
    elif kind == "long":
        pdf = long_document()
    else:
        raise SystemExit(f"unknown kind {kind}")
    pdf.output(out)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Issue 24 in a real headless Chromium: a compliance manager asks a supplier for its organic
certificate from the supplier's page; the email arrives at the test SMTP server; the supplier
(another browser, no account) opens the link and uploads; the certificate is read against the
record; the link stops working; the dashboard lists the requests; axe-core on the new pages.

Runs on SQLite, and on PostgreSQL with CERTWATCH_BROWSER_BACKEND=postgres (scripts/test.sh runs both).
"""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from accessibility import serious_violations  # noqa: E402
from accounts_test import AccountsTestCase, NORTHFIELD  # noqa: E402

HANDLER = "Example Organic Foods"
SUPPLIER_ADDRESS = "quality@northfield.example"
COMPLIANCE = "compliance@handler.example"
REQUEST_SUBJECT = f"{HANDLER} asks {NORTHFIELD} for its organic certificate"
UPLOAD_LINK = re.compile(r"^[ \t]*(https?://\S+/upload/[0-9a-f]{64})[ \t]*$", re.M)


def certificate_pdf(path, nop):
    """A certificate as a certifier's software writes one (fpdf2), naming `nop`."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in ["Certificate of Organic Operation", f"Operation name: {NORTHFIELD}", f"NOP ID: {nop}",
                 "Certified by Oregon Tilth Certified Organic"]:
        pdf.cell(w=0, h=8, text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(path)
    return path


class CertificateRequestJourney(AccountsTestCase):
    @classmethod
    def extra_config(cls):
        return {"requests": {"handlerName": HANDLER}, "http": {"publicUrl": cls.server.base_url},
                "alerts": {"recipients": [COMPLIANCE]}}

    def audit(self, person, label):
        report = serious_violations(person.driver, label)
        if report:
            self.fail(report)

    def ask_for_the_certificate(self, northfield):
        """The compliance manager's steps on the supplier page; returns the link the email carries."""
        since = self.sink.mark()
        self.admin.open(f"/suppliers/{northfield}")
        form = self.admin.form("certificate-request")
        self.admin.press(form, "Request the certificate")
        self.assertIn(f"emailed to {SUPPLIER_ADDRESS}", self.admin.text("p.notice"))
        mail = self.sink.wait_for(SUPPLIER_ADDRESS, REQUEST_SUBJECT, since)
        links = UPLOAD_LINK.findall(mail.get("textBody") or "")
        self.assertEqual(len(links), 1, mail.get("textBody"))
        self.assertTrue(links[0].startswith(self.server.base_url + "/upload/"), links[0])
        return links[0]

    def upload(self, supplier, link, pdf):
        supplier.open(link)
        self.assertEqual(supplier.heading(), f"Send your documents to {HANDLER}")
        supplier.find("#file-organic-certificate").send_keys(pdf)
        supplier.press(supplier.form("supplier-upload"), "Send")

    def test_a_supplier_sends_its_certificate_through_the_emailed_link(self):
        northfield = self.server.supplier_id(NORTHFIELD)
        others = [s["nopOperationId"] for s in self.server.api_list("/v1/suppliers")
                  if s["name"] != NORTHFIELD and s["nopOperationId"]]
        own_nop = self.server.api("GET", f"/v1/suppliers/{northfield}")["nopOperationId"]

        # The compliance manager records the supplier's own address on the edit form.
        self.admin.open(f"/admin/suppliers/{northfield}/edit")
        self.admin.fill("f-supplier_emails", SUPPLIER_ADDRESS)
        self.admin.press(self.admin.form("supplier-form"), "Save")
        self.assertIn(SUPPLIER_ADDRESS, self.admin.body_text())

        link = self.ask_for_the_certificate(northfield)
        self.admin.open("/")
        rows = [row.text for row in self.admin.find_all("table#dashboard-requests tbody tr")]
        self.assertTrue(any(NORTHFIELD in row and "open" in row for row in rows), f"the dashboard lists the open request: {rows}")

        supplier = self.person("the supplier, no account")
        supplier.open(link)
        self.audit(supplier, "upload page")
        self.assertIn(NORTHFIELD, supplier.body_text())
        self.assertEqual(supplier.nav(), {}, "no navigation into the site")
        self.assertEqual(supplier.cookies(), {}, "no session for the supplier")
        since = self.sink.mark()
        self.upload(supplier, link, certificate_pdf(os.path.join(self.server.tmp, "northfield-certificate.pdf"), own_nop))
        self.assertEqual(supplier.heading(), "Received, thank you")
        self.assertIn("northfield-certificate.pdf", supplier.text("table#received"))
        self.assertNotIn("INTEGRITY profile", supplier.body_text())
        self.audit(supplier, "upload received")

        told = self.sink.wait_for(COMPLIANCE, f"CertWatch: {NORTHFIELD} sent its organic certificate (it agrees with INTEGRITY)", since)
        self.assertIn("agrees with INTEGRITY", told.get("textBody") or "")

        self.admin.open(f"/suppliers/{northfield}")
        documents = [row.text for row in self.admin.find_all("table#documents tbody tr")]
        self.assertTrue(any("northfield-certificate.pdf" in row and "Agrees with INTEGRITY" in row for row in documents), documents)
        requests = [row.text for row in self.admin.find_all("table#requests tbody tr")]
        self.assertTrue(requests and "Answered" in requests[0], requests)
        self.audit(self.admin, "supplier page with requests")

        supplier.open(link)
        self.assertEqual(supplier.heading(), "This link does not work")
        self.assertIn("were received", supplier.body_text())

        # A forged certificate (another operation's NOP ID) through a second request.
        forged_link = self.ask_for_the_certificate(northfield)
        self.upload(supplier, forged_link, certificate_pdf(os.path.join(self.server.tmp, "forged.pdf"), others[0]))
        self.assertEqual(supplier.heading(), "Received, thank you")
        self.admin.open(f"/suppliers/{northfield}")
        documents = [row.text for row in self.admin.find_all("table#documents tbody tr")]
        self.assertTrue(any("forged.pdf" in row and "Disagrees with INTEGRITY" in row for row in documents), documents)
        check = self.server.api("POST", "/v1/purchase-checks", {"supplierId": northfield, "product": "Rolled oats"})
        self.assertEqual(check["decision"], "block", check)
        self.assertIn("document_of_another_operation", [reason["code"] for reason in check["reasons"]])

        self.admin.open("/")
        rows = [row.text for row in self.admin.find_all("table#dashboard-requests tbody tr")]
        self.assertTrue(any(NORTHFIELD in row and "answered" in row and "does not match INTEGRITY" in row for row in rows), rows)
        self.assertTrue(any(NORTHFIELD in row and "answered" in row and "agrees with INTEGRITY" in row for row in rows), rows)
        self.audit(self.admin, "dashboard with requests")

    def test_an_unknown_or_malformed_link_says_so_and_sets_no_cookie(self):
        visitor = self.person("a visitor")
        for path in ["/upload/" + "0" * 64, "/upload/short"]:
            visitor.open(path)
            self.assertEqual(visitor.heading(), "This link does not work")
            self.assertIn("not known", visitor.body_text())
            self.assertEqual(visitor.cookies(), {})
        reply = self.server.request("GET", "/upload/" + "0" * 64)
        self.assertEqual(reply.status, 404)
        self.assertEqual(reply.header("Referrer-Policy"), "no-referrer")


if __name__ == "__main__":
    program = unittest.main(verbosity=2, exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)

"""The web pages in a real browser: headless Chromium driven by Selenium, checked by axe.

Run from the repository's root after a build (scripts/test.sh does):

    CERTWATCH_BIN=.build/debug/certwatch python3 Tests/Browser/pages_test.py

One `certwatch serve --sample-data` for the whole module (SQLite in a temp dir, a free loopback
port), one browser per test class. Selenium cannot see HTTP status codes or Set-Cookie headers, so
those are checked with plain HTTP requests that carry the browser's session cookie.
"""

import csv
import datetime
import http.cookies
import io
import os
import re
import struct
import sys
import unittest
import urllib.parse
from html.parser import HTMLParser


from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from accessibility import serious_violations  # noqa: E402
from chromium import new_browser  # noqa: E402
from certwatch_server import REPO_ROOT, SESSION_COOKIE, CertWatchServer  # noqa: E402

SCREENSHOT_DIR = os.environ.get("CERTWATCH_SCREENSHOT_DIR", os.path.join(REPO_ROOT, "docs", "screenshots"))
WAIT_SECONDS = 30

NORTHFIELD = "Northfield Grain Co-op"
PRAIRIE = "Prairie Dairy Farms"
VALLE_VERDE = "Valle Verde Aguacates"
SAMPLE_IMPORT_CERTIFICATE = "NOP-IC-AT-2026-0001"  # recorded by serve --sample-data for Bergkräuter
SAMPLE_NAMES = [NORTHFIELD, PRAIRIE, VALLE_VERDE, "Sunrise Seeds Ltd", "Bergkräuter Genossenschaft"]
ADMIN_NAV = {"Import": "/admin/import", "Alerts": "/admin/alerts", "Webhooks": "/admin/webhooks",
             "Jobs": "/admin/jobs", "API keys": "/admin/keys"}
EVERYONE_NAV = {"Dashboard": "/", "Suppliers": "/suppliers", "Check before order": "/check",
                "Import certificates": "/import-certificates", "Fraud notices": "/fraud-notices"}
ADMIN_PAGES = list(ADMIN_NAV.values())
IMPORT_HEADER = ("name,other_names,nop_operation_id,certifier,country,contact_emails,time_zone,tags,scheme,"
                 "certificate_number,status,status_effective_date,anniversary_date,valid_to,crops,livestock,"
                 "wild_crops,handling,products")
REDIRECTS = (301, 302, 303, 307, 308)
FRAUD_LIST_XLSX = os.path.join(REPO_ROOT, "Tests", "CertWatchIntegrityTests", "Fixtures", "fraud-list-nop.xlsx")

SERVER = None          # the CertWatchServer of this run
PURCHASER_KEY = None   # a purchaser key ("buyer") made with the CLI
SUPPLIER_IDS = {}      # sample supplier name -> CertWatch id


def setUpModule():
    global SERVER, PURCHASER_KEY
    SERVER = CertWatchServer()
    unittest.addModuleCleanup(SERVER.stop)  # also runs when the start-up fails
    SERVER.start()
    PURCHASER_KEY = SERVER.create_key("buyer", "purchaser")
    for name in SAMPLE_NAMES:
        SUPPLIER_IDS[name] = SERVER.supplier_id(name)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

def today():
    return datetime.date.today()


def path_of(url):
    return urllib.parse.urlsplit(url).path


def current_path(driver):
    return path_of(driver.current_url)


def open_page(driver, path):
    driver.get(SERVER.base_url + path)


def _new_page_loaded(driver):
    try:
        return driver.execute_script(
            "return window.certwatchOldPage === undefined && document.readyState === 'complete'")
    except WebDriverException:  # asked while the browser swaps documents
        return False


def wait_for_new_page(driver, action, what):
    """Runs `action` (a click, a submit) and waits until it has loaded a new page."""
    driver.execute_script("window.certwatchOldPage = true")  # a new page has a new window object
    action()
    try:
        WebDriverWait(driver, WAIT_SECONDS).until(_new_page_loaded)
    except TimeoutException:
        raise AssertionError(f"{what} did not load a new page (still {driver.current_url})")


def click_and_wait(driver, element):
    """Clicks something that loads a new page and waits until it has loaded."""
    label = element.text or element.get_attribute("value")
    wait_for_new_page(driver, element.click, f"clicking {label!r}")


def button(container, text):
    """The button (or submit input) in `container` whose label is `text`."""
    for candidate in container.find_elements(By.CSS_SELECTOR, "button, input[type=submit]"):
        label = candidate.text.strip() or (candidate.get_attribute("value") or "").strip()
        if label == text:
            return candidate
    raise AssertionError(f"no button {text!r} in {container.tag_name}#{container.get_attribute('id')}")


def submit_form(driver, form):
    """Submits a form the way a person does: its submit button, or Enter's equivalent."""
    buttons = form.find_elements(By.CSS_SELECTOR, "button:not([type]), button[type=submit], input[type=submit]")
    if buttons:
        click_and_wait(driver, buttons[0])
    else:
        wait_for_new_page(driver, lambda: driver.execute_script("arguments[0].requestSubmit()", form),
                          f"submitting form#{form.get_attribute('id')}")


def fill(driver, element_id, text):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)
    return field


def text(driver, css):
    return driver.find_element(By.CSS_SELECTOR, css).text.strip()


def heading(driver):
    return text(driver, "h1")


def sign_out_locally(driver):
    """Forgets the browser's cookies (the server's session, if any, stays)."""
    if driver.current_url.startswith(SERVER.base_url):
        driver.delete_all_cookies()
    open_page(driver, "/healthz")
    driver.delete_all_cookies()


def sign_in(driver, key):
    """Signs in with `key` on the sign-in page, as a person types it."""
    sign_out_locally(driver)
    open_page(driver, "/sign-in")
    fill(driver, "key", key)
    click_and_wait(driver, button(driver.find_element(By.ID, "sign-in"), "Sign in"))


def session_cookie(driver):
    cookie = driver.get_cookie(SESSION_COOKIE)
    return cookie["value"] if cookie else None


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def csrf_of(html):
    """The value of the first `<input name="csrf">` in a page, or None."""
    parser = _Inputs()
    parser.feed(html)
    for attrs in parser.inputs:
        if attrs.get("name") == "csrf":
            return attrs.get("value")
    return None


def post_sign_in(key):
    """Posts the sign-in form over plain HTTP (for its status and Set-Cookie header)."""
    page = SERVER.get("/sign-in")
    fields, cookie = {"key": key}, None
    token = csrf_of(page.body)
    if token:  # the contract has none on sign-in; carry one along if the page has it
        fields["csrf"] = token
        jar = http.cookies.SimpleCookie()
        for header in page.all_headers("Set-Cookie"):
            jar.load(header)
        cookie = jar[SESSION_COOKIE].value if SESSION_COOKIE in jar else None
    return SERVER.post_form("/sign-in", fields, cookie=cookie)


def choose(select_element, wanted):
    """Selects the option whose value or label is `wanted`."""
    select = Select(select_element)
    for option in select.options:
        if wanted in ((option.get_attribute("value") or "").strip(), option.text.strip()):
            option.click()
            return
    raise AssertionError(f"no option {wanted!r} in select#{select_element.get_attribute('id')}")


def check_link_of(driver, supplier_id):
    """The supplier page's "Check before order" link (the nav has one too, to the empty form)."""
    for link in driver.find_elements(By.LINK_TEXT, "Check before order"):
        href = urllib.parse.urlsplit(link.get_attribute("href"))
        if href.path == "/check" and urllib.parse.parse_qs(href.query).get("supplier") == [supplier_id]:
            return link
    raise AssertionError(f'no "Check before order" link to /check?supplier={supplier_id} on {driver.current_url}')


def nav_links(driver):
    """{link text: path} of the main navigation."""
    navs = driver.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Main"]')
    if not navs:
        raise AssertionError(f'no <nav aria-label="Main"> on {driver.current_url}')
    return {a.text.strip(): path_of(a.get_attribute("href")) for a in navs[0].find_elements(By.TAG_NAME, "a")}


def search(driver, query):
    """Searches the supplier list for `query`; returns {supplier name: (path, row text)}."""
    open_page(driver, "/suppliers")
    form = driver.find_element(By.ID, "supplier-search")
    fill(driver, "q", query)
    submit_form(driver, form)
    if current_path(driver) != "/suppliers":
        raise AssertionError(f"the search went to {driver.current_url}, not /suppliers")
    driver.find_element(By.ID, "supplier-search")  # the results page is the search page
    rows = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "table#suppliers tbody tr"):
        for link in row.find_elements(By.CSS_SELECTOR, "a"):
            href_path = path_of(link.get_attribute("href"))
            if re.fullmatch(r"/suppliers/[^/]+", href_path):
                rows[link.text.strip()] = (href_path, row.text)
                break
    return rows


class Answer:
    """What the answer page of a purchase check shows."""

    def __init__(self, driver):
        self.path = current_path(driver)
        section = driver.find_element(By.CSS_SELECTOR, "section#answer")
        self.role = section.get_attribute("role")
        self.decision = section.find_element(By.CSS_SELECTOR, "p.decision").text.strip()
        self.reasons = [li.text.strip() for li in driver.find_elements(By.CSS_SELECTOR, "ul#reasons > li")]
        self.check_id = text(driver, "code#check-id")

    def __repr__(self):
        return f"<Answer {self.decision} {self.reasons} {self.check_id} at {self.path}>"


def check_form(driver, supplier=None):
    open_page(driver, "/check" + (f"?supplier={urllib.parse.quote(supplier)}" if supplier else ""))
    return driver.find_element(By.ID, "check")


def run_check(driver, supplier, product, import_certificate=None, quantity=None, unit=None):
    """Fills the check form (supplier as typed: id, NOP ID or name; an imported lot's certificate
    and quantity when given) and returns the answer page."""
    form = check_form(driver)
    fill(driver, "supplier", supplier)
    fill(driver, "product", product)
    for field, value in (("importCertificate", import_certificate), ("quantity", quantity), ("unit", unit)):
        if value is not None:
            fill(driver, field, value)
    click_and_wait(driver, button(form, "Check"))
    return Answer(driver)


def import_row(name, nop_operation_id="", status="certified", product="Oats"):
    """One row of an import file, dates relative to today."""
    day = today()
    return {
        "name": name, "other_names": "", "nop_operation_id": nop_operation_id, "certifier": "Test Certifier",
        "country": "United States", "contact_emails": "", "time_zone": "", "tags": "browser-test", "scheme": "nop",
        "certificate_number": "", "status": status,
        "status_effective_date": (day - datetime.timedelta(days=100)).isoformat(),
        "anniversary_date": (day + datetime.timedelta(days=200)).isoformat(), "valid_to": "",
        "crops": "certified", "livestock": "", "wild_crops": "", "handling": "", "products": f"crops:{product}",
    }


def import_file(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=IMPORT_HEADER.split(","), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def png_size(path):
    with open(path, "rb") as png:
        head = png.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


# ---------------------------------------------------------------------------------------------
# Base classes
# ---------------------------------------------------------------------------------------------

class PagesTestCase(unittest.TestCase):
    maxDiff = None

    def run(self, result=None):
        """Marks the server to print its output at the end when this test failed."""
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > before and SERVER is not None:
            SERVER.failed = True
        return outcome

    def assertRedirectsToSignIn(self, reply, what):
        self.assertIn(reply.status, REDIRECTS, f"{what}: expected a redirect to /sign-in, got {reply!r}")
        self.assertEqual(reply.location_path(), "/sign-in", f"{what}: Location {reply.header('Location')!r}")


class BrowserTestCase(PagesTestCase):
    """One browser for the class, signed in with `key_for_class()` (None: stays signed out)."""

    @classmethod
    def setUpClass(cls):
        cls.driver = new_browser()
        cls.addClassCleanup(cls.driver.quit)
        cls.signed_in_with = None
        if cls.key_for_class():
            cls.use_key(cls.key_for_class())

    @classmethod
    def key_for_class(cls):
        return None

    @classmethod
    def use_key(cls, key):
        """Makes the class's browser signed in with `key` (signs in again only when it changes)."""
        if cls.signed_in_with != key:
            sign_in(cls.driver, key)
            cls.signed_in_with = key

    @classmethod
    def use_no_key(cls):
        sign_out_locally(cls.driver)
        cls.signed_in_with = None

    def cookie(self):
        value = session_cookie(self.driver)
        self.assertTrue(value, f"the browser has no {SESSION_COOKIE} cookie")
        return value

    def assertAccessible(self, label):
        report = serious_violations(self.driver, label)
        if report:
            self.fail(report)


class AdminBrowserTestCase(BrowserTestCase):
    @classmethod
    def key_for_class(cls):
        return SERVER.admin_key

    def setUp(self):
        type(self).use_key(SERVER.admin_key)


# ---------------------------------------------------------------------------------------------
# Signing in and out, sessions
# ---------------------------------------------------------------------------------------------

class SignInTests(BrowserTestCase):
    def setUp(self):
        type(self).use_no_key()

    def test_signed_out_pages_redirect_to_sign_in(self):
        for path in ["/", "/suppliers", "/check", "/admin/keys"]:
            with self.subTest(path=path):
                self.assertRedirectsToSignIn(SERVER.get(path), f"signed-out GET {path}")
        open_page(self.driver, "/suppliers")
        self.assertEqual(current_path(self.driver), "/sign-in")
        form = self.driver.find_element(By.ID, "sign-in")
        self.assertEqual(form.get_attribute("method").lower(), "post")
        self.assertEqual(path_of(form.get_attribute("action")), "/sign-in")
        key = self.driver.find_element(By.ID, "key")
        self.assertEqual(key.get_attribute("type"), "password")
        self.assertEqual(key.get_attribute("name"), "key")
        button(form, "Sign in")

    def test_wrong_key_is_refused_with_a_message(self):
        sign_in(self.driver, "cwk_" + "0" * 64)
        self.assertEqual(current_path(self.driver), "/sign-in")
        self.assertIn("unknown or revoked", text(self.driver, "#key-error"))
        self.driver.find_element(By.ID, "sign-in")  # the form is there to try again
        open_page(self.driver, "/")
        self.assertEqual(current_path(self.driver), "/sign-in", "a wrong key must not sign anyone in")

        reply = post_sign_in("cwk_" + "0" * 64)
        self.assertEqual(reply.status, 401, reply)
        self.assertIn('id="key-error"', reply.body)
        self.assertIn("unknown or revoked", reply.body)

    def test_right_key_reaches_the_dashboard_with_a_strict_http_only_cookie(self):
        sign_in(self.driver, SERVER.admin_key)
        self.assertEqual(current_path(self.driver), "/")
        self.assertEqual(heading(self.driver), "Dashboard")
        cookie = self.driver.get_cookie(SESSION_COOKIE)
        self.assertIsNotNone(cookie, f"no {SESSION_COOKIE} cookie after signing in: {self.driver.get_cookies()}")
        self.assertTrue(cookie.get("httpOnly"), cookie)
        self.assertEqual(cookie.get("sameSite"), "Strict", cookie)

        reply = post_sign_in(SERVER.admin_key)
        self.assertEqual(reply.status, 303, reply)
        self.assertEqual(reply.location_path(), "/")
        set_cookies = [c for c in reply.all_headers("Set-Cookie") if c.startswith(SESSION_COOKIE + "=")]
        self.assertTrue(set_cookies, reply.headers)
        self.assertIn("httponly", set_cookies[0].lower())
        self.assertIn("samesite=strict", set_cookies[0].lower())

    def test_sign_out_ends_the_session_on_the_server(self):
        sign_in(self.driver, SERVER.admin_key)
        old_cookie = self.cookie()
        self.assertEqual(SERVER.get("/", cookie=old_cookie).status, 200, "the copied cookie works before")
        form = self.driver.find_element(By.ID, "sign-out")
        self.assertEqual(form.get_attribute("method").lower(), "post")
        self.assertEqual(path_of(form.get_attribute("action")), "/sign-out")
        self.assertTrue(form.find_element(By.CSS_SELECTOR, 'input[name="csrf"]').get_attribute("value"))
        click_and_wait(self.driver, button(form, "Sign out"))
        self.assertEqual(current_path(self.driver), "/sign-in")

        self.assertRedirectsToSignIn(SERVER.get("/", cookie=old_cookie), "the old session cookie after sign-out")
        self.driver.add_cookie({"name": SESSION_COOKIE, "value": old_cookie, "path": "/"})
        open_page(self.driver, "/")
        self.assertEqual(current_path(self.driver), "/sign-in", "the old cookie put back in the browser")

    def test_a_revoked_keys_session_stops_working(self):
        secret = SERVER.create_key("revoked-in-test", "purchaser")
        sign_in(self.driver, secret)
        self.assertEqual(heading(self.driver), "Dashboard")
        cookie = self.cookie()
        SERVER.revoke_key("revoked-in-test")
        open_page(self.driver, "/")
        self.assertEqual(current_path(self.driver), "/sign-in")
        self.assertRedirectsToSignIn(SERVER.get("/", cookie=cookie), "a revoked key's session")


# ---------------------------------------------------------------------------------------------
# An admin's pages
# ---------------------------------------------------------------------------------------------

class NavigationTests(AdminBrowserTestCase):
    def test_admin_sees_every_link_on_every_page(self):
        for path in ["/", "/suppliers", "/check", "/admin/keys"]:
            with self.subTest(page=path):
                open_page(self.driver, path)
                links = nav_links(self.driver)
                for label, href in {**EVERYONE_NAV, **ADMIN_NAV}.items():
                    self.assertEqual(links.get(label), href, f"nav link {label!r} on {path}: {links}")
                sign_out = self.driver.find_element(By.ID, "sign-out")
                button(sign_out, "Sign out")

    def test_dashboard_counts_suppliers_by_status(self):
        open_page(self.driver, "/")
        self.assertEqual(heading(self.driver), "Dashboard")
        lists = [element.text for element in self.driver.find_elements(By.CSS_SELECTOR, "table, ul, ol, dl")
                 if self.driver.execute_script("return arguments[0].closest('nav') === null", element)]
        counts = [listed for listed in lists if "Certified" in listed and re.search(r"\d", listed)]
        self.assertTrue(counts, f"no table or list of counts by status on the dashboard: {lists}")
        self.assertIn("Suspended", "\n".join(counts))

    def test_admin_pages_answer_with_a_heading(self):
        cookie = self.cookie()
        for path in ADMIN_PAGES:
            with self.subTest(page=path):
                self.assertEqual(SERVER.get(path, cookie=cookie).status, 200)
                open_page(self.driver, path)
                self.assertEqual(current_path(self.driver), path)
                self.assertTrue(heading(self.driver))


class SupplierPagesTests(AdminBrowserTestCase):
    def test_search_finds_northfield_by_name_nop_id_and_certifier(self):
        for query in ["Northfield", "4920007290", "Oregon Tilth"]:
            with self.subTest(query=query):
                rows = search(self.driver, query)
                self.assertIn(f"q={urllib.parse.quote_plus(query)}", self.driver.current_url)
                self.assertIn(NORTHFIELD, rows, f"search for {query!r} found {list(rows)}")
                self.assertEqual(rows[NORTHFIELD][0], f"/suppliers/{SUPPLIER_IDS[NORTHFIELD]}")
                self.assertIn("Certified", rows[NORTHFIELD][1])
                self.assertNotIn(PRAIRIE, rows)

    def test_search_shows_a_suspended_status_in_words(self):
        rows = search(self.driver, "Prairie")
        self.assertIn(PRAIRIE, rows)
        self.assertIn("Suspended", rows[PRAIRIE][1])

    def test_open_a_supplier_from_the_search(self):
        rows = search(self.driver, "Northfield")
        link = self.driver.find_element(By.LINK_TEXT, NORTHFIELD)
        click_and_wait(self.driver, link)
        supplier_id = SUPPLIER_IDS[NORTHFIELD]
        self.assertEqual(current_path(self.driver), f"/suppliers/{supplier_id}")
        self.assertEqual(heading(self.driver), NORTHFIELD)
        self.assertIn("Certified", text(self.driver, ".badge"))
        check_link_of(self.driver, supplier_id)
        self.assertTrue(rows)

    def test_a_suspended_suppliers_page_says_so(self):
        open_page(self.driver, f"/suppliers/{SUPPLIER_IDS[PRAIRIE]}")
        self.assertEqual(heading(self.driver), PRAIRIE)
        self.assertIn("Suspended", text(self.driver, ".badge"))

    def test_csv_export_of_a_filtered_list_neutralises_formulas(self):
        SERVER.api("POST", "/v1/suppliers", {
            "name": "=cmd Trading", "nopOperationId": None, "certifier": "X", "country": "Peru",
            "certificate": {"scheme": "nop", "status": "certified"}})
        cookie = self.cookie()

        reply = SERVER.get("/suppliers.csv?" + urllib.parse.urlencode({"q": "Trading"}), cookie=cookie)
        self.assertEqual(reply.status, 200, reply)
        self.assertTrue((reply.header("Content-Type") or "").startswith("text/csv"), reply.headers)
        rows = list(csv.reader(io.StringIO(reply.body.lstrip("\ufeff"))))
        self.assertGreaterEqual(len(rows), 2, reply.body)
        header, data = rows[0], rows[1:]
        self.assertTrue(any(cell.strip().lower() == "name" for cell in header), f"header: {header}")
        cells = [cell for row in data for cell in row]
        self.assertIn("'=cmd Trading", cells, f"the formula-looking name must start with ': {data}")
        self.assertFalse([cell for cell in cells if cell.startswith(("=", "+", "@"))], data)
        self.assertNotIn(NORTHFIELD, cells, "the export is the filtered list")

        reply = SERVER.get("/suppliers.csv?status=suspended", cookie=cookie)
        self.assertEqual(reply.status, 200, reply)
        cells = [cell for row in csv.reader(io.StringIO(reply.body.lstrip("\ufeff"))) for cell in row]
        self.assertIn(PRAIRIE, cells)
        self.assertNotIn(NORTHFIELD, cells)


class CheckPagesTests(AdminBrowserTestCase):
    def assertPlainWords(self, reasons):
        for reason in reasons:
            self.assertRegex(reason, r"[A-Za-z]+\W+[A-Za-z]+", f"a reason in words, not a code: {reason!r}")
            self.assertNotRegex(reason, r"^[a-z]+(_[a-z]+)+$", f"a reason in words, not a code: {reason!r}")

    def assertPrintableView(self, answer):
        link = self.driver.find_element(By.LINK_TEXT, "Printable view")
        self.assertEqual(path_of(link.get_attribute("href")), f"/checks/{answer.check_id}/print")
        click_and_wait(self.driver, link)
        self.assertEqual(current_path(self.driver), f"/checks/{answer.check_id}/print")
        page = self.driver.find_element(By.TAG_NAME, "body").text
        self.assertIn(answer.decision, page)
        self.assertIn(answer.check_id, page)

    def test_form_is_prefilled_from_the_supplier_page(self):
        supplier_id = SUPPLIER_IDS[NORTHFIELD]
        form = check_form(self.driver, supplier_id)
        self.assertEqual(form.get_attribute("method").lower(), "post")
        self.assertEqual(path_of(form.get_attribute("action")), "/check")
        self.assertIn(self.driver.find_element(By.ID, "supplier").get_attribute("value"), [supplier_id, NORTHFIELD])
        date_field = self.driver.find_element(By.ID, "date")
        self.assertEqual(date_field.get_attribute("type"), "date")
        utc_today = datetime.datetime.now(datetime.timezone.utc).date()
        self.assertIn(date_field.get_attribute("value"), {today().isoformat(), utc_today.isoformat()})
        self.assertTrue(form.find_element(By.CSS_SELECTOR, 'input[name="csrf"]').get_attribute("value"))

    def test_a_check_that_allows_and_its_printable_view(self):
        open_page(self.driver, f"/suppliers/{SUPPLIER_IDS[NORTHFIELD]}")
        click_and_wait(self.driver, check_link_of(self.driver, SUPPLIER_IDS[NORTHFIELD]))
        fill(self.driver, "product", "Rolled oats")
        click_and_wait(self.driver, button(self.driver.find_element(By.ID, "check"), "Check"))
        answer = Answer(self.driver)
        self.assertRegex(answer.path, r"^/checks/[^/]+$")
        self.assertEqual(answer.path, f"/checks/{answer.check_id}")
        self.assertEqual(answer.role, "status")
        self.assertEqual(answer.decision, "ALLOW", answer)
        self.assertPlainWords(answer.reasons)
        self.assertPrintableView(answer)

    def test_a_check_that_blocks_says_why_and_its_printable_view(self):
        answer = run_check(self.driver, PRAIRIE, "Milk")  # the supplier typed by its exact name
        self.assertEqual(answer.path, f"/checks/{answer.check_id}")
        self.assertEqual(answer.decision, "BLOCK", answer)
        self.assertTrue(answer.reasons, "a block lists at least one reason")
        self.assertPlainWords(answer.reasons)
        self.assertTrue(any("suspended" in reason.lower() for reason in answer.reasons), answer.reasons)
        self.assertPrintableView(answer)

    def test_an_uncertified_product_is_not_allowed(self):
        answer = run_check(self.driver, "8150001234", "Mangos")  # the supplier typed by its NOP ID
        self.assertIn(answer.decision, ["REVIEW", "BLOCK"], answer)
        self.assertTrue(answer.reasons, answer)
        self.assertPlainWords(answer.reasons)

    def test_an_imported_lot_needs_its_import_certificate(self):
        # The sample's Austrian supplier ships into the US: without the lot's NOP Import
        # Certificate the answer is BLOCK.
        answer = run_check(self.driver, "Bergkräuter Genossenschaft", "Peppermint")
        self.assertEqual(answer.decision, "BLOCK", answer)
        self.assertTrue(any("Import Certificate" in reason for reason in answer.reasons), answer)

    def test_a_supplier_outside_integrity_goes_to_review(self):
        # With the sample's import certificate named, what is left: the EU supplier has no NOP
        # ID, nothing can be verified, so someone must look.
        answer = run_check(self.driver, "Bergkräuter Genossenschaft", "Peppermint", import_certificate=SAMPLE_IMPORT_CERTIFICATE,
                           quantity="200", unit="kg")
        self.assertEqual(answer.decision, "REVIEW", answer)
        self.assertTrue(any("INTEGRITY" in reason for reason in answer.reasons), answer)
        lot = text(self.driver, "#lot")
        self.assertIn(SAMPLE_IMPORT_CERTIFICATE, lot)
        self.assertIn("200 kg", lot)

    def test_a_check_without_a_product_shows_the_field_error(self):
        form = check_form(self.driver)
        fill(self.driver, "supplier", NORTHFIELD)
        self.driver.find_element(By.ID, "product").clear()
        # The page may mark the field `required`; switch the browser's own check off so the
        # server's answer is what is tested.
        self.driver.execute_script("arguments[0].noValidate = true", form)
        click_and_wait(self.driver, button(form, "Check"))
        self.assertTrue(text(self.driver, "#product-error"))
        self.driver.find_element(By.ID, "check")

        cookie = self.cookie()
        token = csrf_of(SERVER.get("/check", cookie=cookie).body)
        reply = SERVER.post_form("/check", {"supplier": NORTHFIELD, "product": "", "date": today().isoformat(),
                                            "csrf": token}, cookie=cookie)
        self.assertEqual(reply.status, 422, reply)
        self.assertIn('id="product-error"', reply.body)

    def test_a_post_without_the_right_csrf_token_is_refused(self):
        cookie = self.cookie()
        token = csrf_of(SERVER.get("/check", cookie=cookie).body)
        self.assertTrue(token, "no csrf field on /check")
        wrong = token[::-1] if token[::-1] != token else token + "x"
        check = {"supplier": NORTHFIELD, "product": "Rolled oats", "date": today().isoformat()}
        for label, extra in [("without csrf", {}), ("with a wrong csrf", {"csrf": wrong})]:
            with self.subTest(form="/check", case=label):
                self.assertEqual(SERVER.post_form("/check", {**check, **extra}, cookie=cookie).status, 403)
            with self.subTest(form="/admin/keys", case=label):
                reply = SERVER.post_form("/admin/keys", {"name": "csrf-probe", "role": "admin", **extra}, cookie=cookie)
                self.assertEqual(reply.status, 403, reply)
        reply = SERVER.post_form("/check", {**check, "csrf": token}, cookie=cookie)
        self.assertEqual(reply.status, 303, f"the same post with the right token: {reply!r}")
        self.assertNotIn("csrf-probe", SERVER.get("/admin/keys", cookie=cookie).body)
        self.assertNotIn("csrf-probe", SERVER.cli("keys", "list"))


class AdminFormsTests(AdminBrowserTestCase):
    def upload(self, rows, name):
        path = os.path.join(SERVER.tmp, name)
        with open(path, "w", encoding="utf-8") as out:
            out.write(import_file(rows))
        open_page(self.driver, "/admin/import")
        form = self.driver.find_element(By.ID, "import")
        self.assertEqual(form.get_attribute("enctype"), "multipart/form-data")
        self.assertEqual(path_of(form.get_attribute("action")), "/admin/import")
        dry_run = self.driver.find_element(By.ID, "dryRun")
        if dry_run.is_selected():
            dry_run.click()
        self.driver.find_element(By.ID, "file").send_keys(path)
        click_and_wait(self.driver, button(form, "Import"))
        return path

    def test_an_upload_with_one_bad_row_names_its_line_and_imports_nothing(self):
        rows = [import_row("Bad File Farm One"), import_row("Bad File Farm Two", nop_operation_id="12345"),
                import_row("Bad File Farm Three")]
        path = self.upload(rows, "one-bad-row.csv")
        self.assertIn("Nothing was imported", self.driver.find_element(By.TAG_NAME, "body").text)
        error_rows = [row.text for row in self.driver.find_elements(By.CSS_SELECTOR, "table#import-errors tr")
                      if row.find_elements(By.TAG_NAME, "td")]
        self.assertTrue(error_rows, "no rows in table#import-errors")
        self.assertTrue(any(re.search(r"\bline\W*3\b", row, re.I) for row in error_rows), error_rows)
        self.assertFalse([row for row in error_rows if re.search(r"\bline\W*[24]\b", row, re.I)], error_rows)
        stored = {item["name"] for item in SERVER.api_list("/v1/suppliers")}
        for name in ["Bad File Farm One", "Bad File Farm Three"]:
            self.assertNotIn(name, search(self.driver, name), f"{name} was written although the file was refused")
            self.assertNotIn(name, stored, f"{name} was written although the file was refused (JSON API)")

        cookie = self.cookie()
        token = csrf_of(SERVER.get("/admin/import", cookie=cookie).body)
        with open(path, "rb") as upload:
            reply = SERVER.post_multipart("/admin/import", {"csrf": token},
                                          {"file": ("one-bad-row.csv", upload.read(), "text/csv")}, cookie=cookie)
        self.assertEqual(reply.status, 422, reply)
        self.assertIn("Nothing was imported", reply.body)

    def test_a_good_upload_imports_its_suppliers(self):
        names = ["Good File Farm One", "Good File Farm Two"]
        self.upload([import_row(name) for name in names], "good.csv")
        report = text(self.driver, "section#import-report")
        self.assertRegex(report, r"\b2\b", "the report counts the 2 suppliers created")
        stored = {item["name"] for item in SERVER.api_list("/v1/suppliers")}
        for name in names:
            self.assertIn(name, stored, f"{name} not in the registry after the import (JSON API)")
            rows = search(self.driver, name)
            self.assertIn(name, rows, f"{name} not found after the import")
            self.assertIn("Certified", rows[name][1])

    def test_a_supplier_added_with_the_form_is_found_and_a_bad_nop_id_is_shown_at_its_field(self):
        open_page(self.driver, "/admin/suppliers/new")
        fill(self.driver, "f-name", "Form Added Orchard")
        fill(self.driver, "f-nop_operation_id", "12345")
        click_and_wait(self.driver, button(self.driver.find_element(By.ID, "supplier-form"), "Add supplier"))
        self.assertIn("10 digits", text(self.driver, "#e-nop_operation_id"))
        self.assertEqual(self.driver.find_element(By.ID, "f-name").get_attribute("value"), "Form Added Orchard")
        self.assertNotIn("Form Added Orchard", {item["name"] for item in SERVER.api_list("/v1/suppliers")})
        fill(self.driver, "f-nop_operation_id", "")
        fill(self.driver, "f-products", "crops:Apples (Gala)")
        click_and_wait(self.driver, button(self.driver.find_element(By.ID, "supplier-form"), "Add supplier"))
        self.assertEqual(heading(self.driver), "Form Added Orchard")
        self.assertIn("Form Added Orchard", search(self.driver, "Form Added"))

    def test_a_certificate_filed_on_the_supplier_page_is_listed_and_downloads(self):
        from fpdf import FPDF
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        for line in ["Certificate of Organic Operation", "Operation name: Northfield Grain Co-op", "NOP ID: 4920007290",
                     "Certified by Oregon Tilth Certified Organic"]:
            pdf.cell(w=0, h=8, text=line, new_x="LMARGIN", new_y="NEXT")
        path = os.path.join(SERVER.tmp, "northfield-certificate.pdf")
        pdf.output(path)
        northfield = SUPPLIER_IDS[NORTHFIELD]
        open_page(self.driver, f"/suppliers/{northfield}")
        form = self.driver.find_element(By.ID, "document-upload")
        self.driver.find_element(By.ID, "document-file").send_keys(path)
        choose(self.driver.find_element(By.ID, "document-kind"), "Organic certificate")
        click_and_wait(self.driver, button(form, "File the document"))
        rows = [row.text for row in self.driver.find_elements(By.CSS_SELECTOR, "table#documents tbody tr")]
        self.assertTrue(any("northfield-certificate.pdf" in row and "Organic certificate" in row for row in rows), rows)
        self.assertTrue(any("northfield-certificate.pdf" in row and "Agrees with INTEGRITY" in row for row in rows),
                        f"the certificate was read and cross-checked: {rows}")
        link = self.driver.find_element(By.LINK_TEXT, "northfield-certificate.pdf").get_attribute("href")
        reply = SERVER.get(path_of(link), cookie=self.cookie())
        self.assertEqual(reply.status, 200, reply)
        with open(path, "rb") as original:
            self.assertEqual(reply.raw, original.read(), "the download is the file as it was filed")

    def test_keys_page_creates_a_key_shown_once_and_revokes_it(self):
        open_page(self.driver, "/admin/keys")
        form = self.driver.find_element(By.ID, "create-key")
        fill(self.driver, "name", "made-in-browser")
        choose(self.driver.find_element(By.ID, "role"), "purchaser")
        click_and_wait(self.driver, button(form, "Create key"))
        secret = text(self.driver, "code#new-secret")
        self.assertRegex(secret, r"^cwk_[0-9a-f]+$")
        self.assertEqual(post_sign_in(secret).status, 303, "the new key signs in")

        open_page(self.driver, "/admin/keys")
        self.assertFalse(self.driver.find_elements(By.ID, "new-secret"), "the secret is shown once only")
        revoke = [f for f in self.driver.find_elements(By.CSS_SELECTOR, "form.revoke")
                  if path_of(f.get_attribute("action")) == "/admin/keys/made-in-browser/revoke"]
        self.assertEqual(len(revoke), 1, "one Revoke form for the new key")
        click_and_wait(self.driver, button(revoke[0], "Revoke"))
        open_page(self.driver, "/admin/keys")
        self.assertFalse([f for f in self.driver.find_elements(By.CSS_SELECTOR, "form.revoke")
                          if path_of(f.get_attribute("action")) == "/admin/keys/made-in-browser/revoke"])
        self.assertEqual(post_sign_in(secret).status, 401, "the revoked key is refused")


# ---------------------------------------------------------------------------------------------
# NOP Import Certificates and fraud notices
# ---------------------------------------------------------------------------------------------

def set_date(driver, element_id, day):
    """Sets a date field as its picker would (typing into one depends on the browser's locale)."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), day.isoformat())


def table_rows(driver, css):
    """The text of each body row of a table."""
    return [row.text for row in driver.find_elements(By.CSS_SELECTOR, css + " tbody tr")]


class ImportCertificatePagesTests(AdminBrowserTestCase):
    def test_an_import_certificate_added_on_the_page_is_listed_and_shown(self):
        valle = SUPPLIER_IDS[VALLE_VERDE]
        open_page(self.driver, f"/suppliers/{valle}")
        click_and_wait(self.driver, self.driver.find_element(By.LINK_TEXT, "Its import certificates"))
        self.assertEqual(current_path(self.driver), "/import-certificates")
        click_and_wait(self.driver, self.driver.find_element(By.LINK_TEXT, "Record an import certificate"))
        self.assertEqual(current_path(self.driver), "/admin/import-certificates/new")
        self.assertEqual(self.driver.find_element(By.ID, "f-exporter").get_attribute("value"), valle, "the exporter comes filled in")
        self.assertIn(VALLE_VERDE, text(self.driver, "#h-exporter"))
        self.assertAccessible("import certificate form")

        fill(self.driver, "f-importer", "Example Organic Foods")
        choose(self.driver.find_element(By.ID, "f-kind"), "shipment")
        set_date(self.driver, "f-shipmentDate", today() - datetime.timedelta(days=3))
        fill(self.driver, "f-product0", "Avocados")
        fill(self.driver, "f-quantity0", "18000")
        fill(self.driver, "f-unit0", "kg")
        fill(self.driver, "f-htsCode", "0804.40")
        click_and_wait(self.driver, button(self.driver.find_element(By.ID, "import-certificate-form"), "Record the import certificate"))
        self.assertIn("required", text(self.driver, "#e-number"), "the missing number is shown at its field")
        self.assertEqual(self.driver.find_element(By.ID, "f-product0").get_attribute("value"), "Avocados", "what was typed is kept")
        self.assertAccessible("import certificate form with an error")

        fill(self.driver, "f-number", "IC-BROWSER-0001")
        click_and_wait(self.driver, button(self.driver.find_element(By.ID, "import-certificate-form"), "Record the import certificate"))
        self.assertEqual(current_path(self.driver), "/import-certificates/IC-BROWSER-0001")
        self.assertEqual(heading(self.driver), "Import certificate IC-BROWSER-0001")
        self.assertEqual(table_rows(self.driver, "table#lines"), ["Avocados 0 18000 kg"])
        self.assertIn("0804.40", text(self.driver, "dl.facts"))
        self.assertAccessible("import certificate")

        open_page(self.driver, "/import-certificates")
        rows = [row for row in table_rows(self.driver, "table#import-certificates") if row.startswith("IC-BROWSER-0001")]
        self.assertEqual(len(rows), 1, table_rows(self.driver, "table#import-certificates"))
        self.assertIn("Avocados: 0 of 18000 kg", rows[0])
        self.assertIn(SAMPLE_IMPORT_CERTIFICATE, "\n".join(table_rows(self.driver, "table#import-certificates")))
        self.assertAccessible("import certificates")
        click_and_wait(self.driver, self.driver.find_element(By.LINK_TEXT, "IC-BROWSER-0001"))
        self.assertEqual(heading(self.driver), "Import certificate IC-BROWSER-0001")


class FraudNoticePagesTests(BrowserTestCase):
    """On a server of its own: NOP's list names Northfield and Valle Verde, whose purchases the
    other tests expect allowed. The module's SERVER is this one while the class runs, so the
    helpers talk to it."""

    @classmethod
    def setUpClass(cls):
        global SERVER
        own = CertWatchServer()
        cls.addClassCleanup(own.stop)
        own.start()
        cls.shared, SERVER = SERVER, own
        cls.addClassCleanup(cls.restore_shared_server)
        super().setUpClass()

    @classmethod
    def restore_shared_server(cls):
        global SERVER
        SERVER = cls.shared

    @classmethod
    def key_for_class(cls):
        return SERVER.admin_key

    def test_nops_fraud_list_imported_on_the_page_is_listed_and_blocks(self):
        open_page(self.driver, "/fraud-notices")
        self.assertEqual(heading(self.driver), "Fraud notices")
        self.assertIn("No fraud notice is imported.", text(self.driver, "main"))
        self.assertAccessible("fraud notices, none yet")
        click_and_wait(self.driver, self.driver.find_element(By.LINK_TEXT, "Import NOP's fraud list"))
        self.assertEqual(current_path(self.driver), "/admin/fraud-notices/import")
        self.assertAccessible("fraud notice import form")

        form = self.driver.find_element(By.ID, "fraud-import")
        self.assertEqual(form.get_attribute("enctype"), "multipart/form-data")
        self.driver.find_element(By.ID, "fraud-file").send_keys(FRAUD_LIST_XLSX)
        click_and_wait(self.driver, button(form, "Import"))
        report = text(self.driver, "section#fraud-import-report")
        self.assertIn("Imported 3 notices (0 already known); 2 suppliers named.", report)
        self.assertIn(NORTHFIELD, report)
        self.assertAccessible("fraud notices imported")

        click_and_wait(self.driver, self.driver.find_element(By.LINK_TEXT, "See the notices"))
        self.assertEqual(current_path(self.driver), "/fraud-notices")
        rows = table_rows(self.driver, "table#fraud-notices")
        self.assertEqual(len(rows), 3, rows)
        valle = [row for row in self.driver.find_elements(By.CSS_SELECTOR, "table#fraud-notices tbody tr") if VALLE_VERDE in row.text]
        self.assertEqual(len(valle), 1, rows)
        named = valle[0].find_element(By.CSS_SELECTOR, "ul.named a")
        self.assertEqual(path_of(named.get_attribute("href")), f"/suppliers/{SERVER.supplier_id(VALLE_VERDE)}")
        self.assertAccessible("fraud notices")

        answer = run_check(self.driver, "4920007290", "Rolled oats")
        self.assertEqual(answer.decision, "BLOCK", answer)

        # The dashboard lists the certified supplier the notice names among those the gate stops.
        open_page(self.driver, "/")
        blocked = [row.text for row in self.driver.find_elements(
            By.CSS_SELECTOR, "section[aria-labelledby=blocking-h] tbody tr") if NORTHFIELD in row.text]
        self.assertEqual(len(blocked), 1, blocked)
        self.assertIn("BLOCK", blocked[0])
        self.assertIn("Confirm the certificate with the certifier.", blocked[0])
        self.assertAccessible("dashboard with a fraud-named supplier")


# ---------------------------------------------------------------------------------------------
# A purchaser
# ---------------------------------------------------------------------------------------------

class PurchaserTests(BrowserTestCase):
    @classmethod
    def key_for_class(cls):
        return PURCHASER_KEY

    def setUp(self):
        type(self).use_key(PURCHASER_KEY)

    def test_nav_hides_the_admin_links(self):
        open_page(self.driver, "/")
        links = nav_links(self.driver)
        for label, href in EVERYONE_NAV.items():
            self.assertEqual(links.get(label), href, links)
        for label in ADMIN_NAV:
            self.assertNotIn(label, links)
        anchors = {path_of(a.get_attribute("href")) for a in self.driver.find_elements(By.TAG_NAME, "a")}
        self.assertFalse(anchors & set(ADMIN_PAGES), "no link to an admin page anywhere")

    def test_admin_pages_refuse_a_purchaser(self):
        cookie = self.cookie()
        for path in ADMIN_PAGES:
            with self.subTest(page=path):
                reply = SERVER.get(path, cookie=cookie)
                self.assertEqual(reply.status, 403, reply)
                open_page(self.driver, path)
                self.assertEqual(heading(self.driver), "Not allowed")

    def test_a_purchaser_can_check_before_ordering(self):
        answer = run_check(self.driver, "4920007290", "Rolled oats")
        self.assertEqual(answer.decision, "ALLOW", answer)


# ---------------------------------------------------------------------------------------------
# Accessibility (axe in the same browser) and screenshots
# ---------------------------------------------------------------------------------------------

class AccessibilityTests(BrowserTestCase):
    def audit(self, label, path=None):
        with self.subTest(page=label):
            if path is not None:
                open_page(self.driver, path)
            self.assertAccessible(label)

    def test_signed_out_pages(self):
        type(self).use_no_key()
        self.audit("sign-in", "/sign-in")
        fill(self.driver, "key", "cwk_" + "0" * 64)
        click_and_wait(self.driver, button(self.driver.find_element(By.ID, "sign-in"), "Sign in"))
        self.audit("sign-in with the key error")

    def test_pages_for_an_admin(self):
        type(self).use_key(SERVER.admin_key)
        northfield = SUPPLIER_IDS[NORTHFIELD]
        self.audit("dashboard", "/")
        self.audit("suppliers list", "/suppliers")
        self.audit("suppliers search", "/suppliers?q=Northfield")
        self.audit("supplier", f"/suppliers/{northfield}")
        self.audit("check form", f"/check?supplier={northfield}")

        form = check_form(self.driver)
        fill(self.driver, "supplier", NORTHFIELD)
        self.driver.find_element(By.ID, "product").clear()
        self.driver.execute_script("arguments[0].noValidate = true", form)
        click_and_wait(self.driver, button(form, "Check"))
        self.audit("check form with the product error")

        answer = run_check(self.driver, PRAIRIE, "Milk")
        self.audit("check answer (block)")
        self.audit("printable view", f"/checks/{answer.check_id}/print")
        for path in ADMIN_PAGES:
            self.audit(f"admin page {path}", path)
        self.audit("add a supplier", "/admin/suppliers/new")
        self.audit("edit a supplier", f"/admin/suppliers/{northfield}/edit")

    def test_not_allowed_page_for_a_purchaser(self):
        type(self).use_key(PURCHASER_KEY)
        self.audit("403 page", "/admin/keys")
        self.assertEqual(heading(self.driver), "Not allowed")


class ScreenshotTests(AdminBrowserTestCase):
    def shoot(self, path, name, width):
        """A full-page PNG of `path` at `width` CSS pixels, into SCREENSHOT_DIR."""
        self.driver.set_window_size(width, 900)
        open_page(self.driver, path)
        chrome = self.driver.get_window_size()["height"] - self.driver.execute_script("return window.innerHeight")
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(max(height, 600), 8000) + chrome)
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        file = os.path.join(SCREENSHOT_DIR, f"{name}-{width}.png")
        self.assertTrue(self.driver.save_screenshot(file), file)
        self.assertEqual(png_size(file)[0], width, f"{file} width")

    def tearDown(self):
        self.driver.set_window_size(1280, 900)

    def test_screenshots_at_desktop_and_phone_widths(self):
        blocked = run_check(self.driver, PRAIRIE, "Milk")
        self.assertEqual(blocked.decision, "BLOCK")
        pages = [("/", "dashboard"), (f"/suppliers/{SUPPLIER_IDS[NORTHFIELD]}", "supplier"),
                 (blocked.path, "check-blocked")]
        for width in (1280, 390):
            for path, name in pages:
                with self.subTest(page=name, width=width):
                    self.shoot(path, name, width)


if __name__ == "__main__":
    program = unittest.main(verbosity=2, exit=False)
    if not program.result.wasSuccessful() and SERVER is not None and not SERVER.output_printed:
        print("\n----- certwatch serve output -----\n" + SERVER.saved_output + "\n----- end of output -----")
    sys.exit(0 if program.result.wasSuccessful() else 1)

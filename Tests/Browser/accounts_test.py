"""People's own accounts (issue 23) in a real browser: headless Chromium driven by Selenium against
`certwatch serve --sample-data`, emails read from the real SMTP test server (testing/smtp_sink.py),
single sign-on through a real OpenID Provider (testing/oidc_provider.py), axe-core on the new pages.

Run from the repository's root after a build:

    CERTWATCH_BIN=.build/debug/certwatch python3 Tests/Browser/accounts_test.py [-k PATTERN]

Each test class has its own SMTP sink and its own `certwatch serve --sample-data` on a fresh
SQLite database (so its first admin's one-time link is unused), configured with `auth.bcryptCost: 4`
and the sink as `smtp.url`. Every person has their own browser, so their own cookies. Selenium
cannot see HTTP status codes, so those are checked with plain HTTP requests that post the same
forms (fields read from the served page) and, where it matters, carry the browser's cookies.
"""

import base64
import hashlib
import hmac
import http.cookies
import json
import os
import re
import secrets
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
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
from certwatch_server import REPO_ROOT, CertWatchServer  # noqa: E402

WAIT_SECONDS = 30          # a page, an email
HELPER_START_SECONDS = 90  # the SMTP sink, the OpenID Provider (Django migrates a fresh database)
REDIRECTS = (301, 302, 303, 307, 308)

NORTHFIELD = "Northfield Grain Co-op"  # a sample supplier a check allows "Rolled oats" from

ADMIN_EMAIL = "admin@example.com"  # the account `serve --sample-data` makes on an empty database
ADMIN_PASSWORD = "first-admin-Lantern-4417"
WEAK_PASSWORD = "password123"  # long enough, but on the bundled list of common passwords

INVITATION_SUBJECT = "You are invited to CertWatch"
RESET_SUBJECT = "Reset your CertWatch password"
WRONG_PASSWORD_MESSAGE = "That email and password do not match an active account."
WRONG_CODE_MESSAGE = "That code is not right."
RESET_NOTICE = "If an account exists for that address, we sent a link to reset its password."
LOCKED_OUT = re.compile(r"Too many failed sign-ins\. Try again after \d{1,2}:\d{2}")
GONE_HEADING = "This link no longer works"
RECOVERY_CODE = re.compile(r"^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$", re.I)


# ---------------------------------------------------------------------------------------------
# TOTP (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits), as an authenticator app computes it
# ---------------------------------------------------------------------------------------------

def totp_step(at=None):
    return int((time.time() if at is None else at) // 30)


def totp(secret_base32, step=None):
    """The six-digit code for `step` (default: now) of a base-32 secret as an app is given it."""
    text = re.sub(r"[\s-]", "", secret_base32).upper()
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    digest = hmac.new(key, struct.pack(">Q", totp_step() if step is None else step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def wrong_code(secret_base32):
    """Six digits that are the code of no step near now."""
    near = {totp(secret_base32, totp_step() + delta) for delta in range(-3, 4)}
    return next(f"{n:06d}" for n in range(0, 1_000_000, 111_111) if f"{n:06d}" not in near)


def current_code(secret_base32):
    """(step, code) for now, waiting out the last seconds of a step so the code is still current
    when the server reads it."""
    deadline = time.monotonic() + 10
    while time.time() % 30 > 27 and time.monotonic() < deadline:
        time.sleep(0.2)
    step = totp_step()
    return step, totp(secret_base32, step)


def wait_for_fresh_step(after_step, latest_second=20):
    """Polls the clock until the current 30-second step is later than `after_step` and at most
    `latest_second` seconds old (so what follows happens within that step or the next); returns
    the step."""
    deadline = time.monotonic() + 75
    while True:
        now = time.time()
        step = totp_step(now)
        if step > after_step and now - step * 30 <= latest_second:
            return step
        if time.monotonic() > deadline:
            raise AssertionError("the clock did not reach a fresh TOTP step")
        time.sleep(0.2)


# ---------------------------------------------------------------------------------------------
# Test servers started from testing/ (each prints "listening on PORT" once it answers)
# ---------------------------------------------------------------------------------------------

class LoopbackScript:
    """A Python server from testing/, started with --exit-with-stdin (closing its stdin stops it)
    and its stderr kept in a file."""

    def __init__(self, script, arguments, label):
        self.label = label
        self.tmp = tempfile.mkdtemp(prefix=f"certwatch-{label}-")
        self.log_path = os.path.join(self.tmp, "stderr.txt")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, os.path.join(REPO_ROOT, "testing", script), *arguments, "--exit-with-stdin"],
                cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        self.port = self._read_port(time.monotonic() + HELPER_START_SECONDS)

    def _read_port(self, deadline):
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise RuntimeError(f"{self.label} did not say it was listening:\n{self.log()}")
            ready, _, _ = select.select([self.process.stdout], [], [], min(remaining, 1.0))
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 1)
                if not chunk:
                    self.stop()
                    raise RuntimeError(f"{self.label} exited before listening:\n{self.log()}")
                line += chunk
        match = re.match(rb"listening on (\d+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"{self.label} printed {line!r}, not 'listening on PORT':\n{self.log()}")
        return int(match.group(1))

    def log(self):
        try:
            with open(self.log_path, "rb") as log:
                return log.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, print_log=False):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        if print_log:
            print(f"\n----- {self.label} stderr -----\n{self.log()}\n----- end of {self.label} stderr -----")
        shutil.rmtree(self.tmp, ignore_errors=True)


class SMTPSink:
    """testing/smtp_sink.py: keeps every message as NNNNNN.eml plus NNNNNN.json (the envelope);
    messages are read with testing/parse_email.py, as a mail client reads them."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="certwatch-mail-")
        self.server = LoopbackScript("smtp_sink.py", ["--port", "0", "--out", self.folder], "smtp sink")
        self.port = self.server.port
        self.parsed = {}  # file name -> message

    def stop(self, print_log=False):
        self.server.stop(print_log)
        shutil.rmtree(self.folder, ignore_errors=True)

    def messages(self):
        """Every message so far, in order of arrival: the parsed message plus `envelopeTo`."""
        files = sorted(name for name in os.listdir(self.folder) if name.endswith(".eml"))
        new = [name for name in files if name not in self.parsed]
        if new:
            completed = subprocess.run(
                [sys.executable, os.path.join(REPO_ROOT, "testing", "parse_email.py"),
                 *[os.path.join(self.folder, name) for name in new]],
                capture_output=True, text=True, timeout=60, check=False)
            if completed.returncode != 0:
                raise RuntimeError(f"parse_email.py failed: {completed.stderr}")
            for name, message in zip(new, json.loads(completed.stdout)):
                with open(os.path.join(self.folder, name[:-4] + ".json"), encoding="utf-8") as envelope:
                    message["envelopeTo"] = [address.lower() for address in json.load(envelope)["to"]]
                self.parsed[name] = message
        return [self.parsed[name] for name in files]

    def mark(self):
        """How many messages have arrived: pass it as `since` to wait only for later ones."""
        return len(self.messages())

    def to(self, address, since=0, subject=None):
        return [m for m in self.messages()[since:]
                if address.lower() in m["envelopeTo"] and (subject is None or m["subject"] == subject)]

    def wait_for(self, address, subject, since=0):
        """The first message to `address` with `subject` that arrived after `since` messages."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            found = self.to(address, since, subject)
            if found:
                return found[0]
            if time.monotonic() > deadline:
                seen = [(m["subject"], m["envelopeTo"]) for m in self.messages()[since:]]
                raise AssertionError(f"no email {subject!r} to {address} within {WAIT_SECONDS} s; arrived: {seen}")
            time.sleep(0.2)


def link_in(message, server):
    """The one-time link an account email carries on a line of its own, pointing at the page."""
    body = message.get("textBody") or ""
    links = re.findall(r"^[ \t]*(https?://\S+/set-password/\S+?)[ \t]*$", body, re.M)
    if len(links) != 1:
        raise AssertionError(f"expected one /set-password/ link on a line of its own in:\n{body}")
    if not links[0].startswith(server.base_url + "/set-password/"):
        raise AssertionError(f"the link {links[0]} does not point at the page {server.base_url}")
    return links[0]


class OpenIDProvider:
    """testing/oidc_provider.py (django-oidc-provider) with one confidential client for CertWatch.
    Users are (username, email, full name, password)."""

    CLIENT_ID = "certwatch"

    def __init__(self, redirect_uri, users=(), unverified_users=()):
        self.client_secret = "cw-browser-" + secrets.token_hex(16)
        arguments = ["--port", "0", "--redirect-uri", redirect_uri, "--client-id", self.CLIENT_ID,
                     "--client-secret", self.client_secret, "--require-pkce",
                     # Another site than CertWatch's 127.0.0.1, as a company's provider is: the
                     # answer comes back by a cross-site redirect, which SameSite=Strict cookies miss.
                     "--public-host", "localhost"]
        for flag, specs in (("--user", users), ("--unverified-email-user", unverified_users)):
            for spec in specs:
                arguments += [flag, ":".join(spec)]
        self.server = LoopbackScript("oidc_provider.py", arguments, "openid provider")
        self.port = self.server.port
        self.issuer = f"http://localhost:{self.port}/openid"

    def stop(self, print_log=False):
        self.server.stop(print_log)


# ---------------------------------------------------------------------------------------------
# Forms and pages over plain HTTP (for status codes)
# ---------------------------------------------------------------------------------------------

class _Forms(HTMLParser):
    """Every form of a page: action, method, the fields a browser would send as they are served,
    and the field name of each element id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = {}
        self.form = None
        self.select = None   # [name, first value, selected value]
        self.option = None   # [value or None, text]
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {"action": a.get("action"), "method": (a.get("method") or "get").lower(),
                         "fields": [], "names": {}}
            self.forms[a.get("id") or f"form-{len(self.forms)}"] = self.form
            return
        if self.form is None:
            return
        name, element_id = a.get("name"), a.get("id")
        if element_id and name and tag in ("input", "select", "textarea"):
            self.form["names"][element_id] = name
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form["fields"].append([name, a.get("value") or "on"])
                return
            self.form["fields"].append([name, a.get("value") or ""])
        elif tag == "select" and name:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), ""]
            if "selected" in a:
                self.select[2] = self.option
            if self.select[1] is None:
                self.select[1] = self.option
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            chosen = self.select[2] or self.select[1]
            if chosen is not None and self.form is not None:
                value = chosen[0] if chosen[0] is not None else chosen[1].strip()
                self.form["fields"].append([self.select[0], value])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            if self.form is not None:
                self.form["fields"].append(self.textarea)
            self.textarea = None


class _Text(HTMLParser):
    """The text a person reads in a page's body, and the texts of elements with class `error`."""

    SKIP = {"script", "style", "head", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped, is_error)
        self.words = []
        self.errors = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append((tag, tag in self.SKIP, "error" in classes))
        if "error" in classes:
            self.errors.append("")

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _, _ in self.stack):  # a stray end tag closes nothing
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if any(skipped for _, skipped, _ in self.stack):
            return
        self.words.extend(data.split())
        open_errors = sum(1 for _, _, is_error in self.stack if is_error)
        if open_errors:
            self.errors[-1] = (self.errors[-1] + " " + " ".join(data.split())).strip()


def page_text(html):
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.words)


def error_texts(html):
    parser = _Text()
    parser.feed(html)
    return [text for text in parser.errors if text]


def cookie_header(jar):
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def remember_cookies(jar, reply):
    for header in reply.all_headers("Set-Cookie"):
        cookie = http.cookies.SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel.value and morsel["max-age"] not in ("0",):
                jar[name] = morsel.value
            else:
                jar.pop(name, None)


def http_get(server, path, cookies=None):
    headers = {"Cookie": cookie_header(cookies)} if cookies else {}
    return server.request("GET", path, headers=headers)


def http_submit(server, path, form_id, values_by_id, cookies=None):
    """Opens `path` over HTTP, fills form#`form_id` as served (hidden fields included) with
    `values_by_id` ({element id: value}) and posts it, with `cookies` ({name: value}, e.g. a
    browser's) and whatever the page set. Returns the answer to the post (not followed)."""
    jar = dict(cookies or {})
    page = http_get(server, path, jar)
    if page.status != 200:
        raise AssertionError(f"GET {path} answered {page!r}")
    remember_cookies(jar, page)
    parser = _Forms()
    parser.feed(page.body)
    form = parser.forms.get(form_id)
    if form is None:
        raise AssertionError(f"no form#{form_id} on {path}; forms: {list(parser.forms)}")
    fields = [list(field) for field in form["fields"]]
    for element_id, value in values_by_id.items():
        name = form["names"].get(element_id)
        if name is None:
            raise AssertionError(f"no field with id {element_id!r} in form#{form_id} on {path}")
        matching = [field for field in fields if field[0] == name]
        if matching:
            matching[0][1] = value
        else:
            fields.append([name, value])
    action = urllib.parse.urlsplit(urllib.parse.urljoin(server.base_url + path, form["action"] or path))
    target = action.path + (f"?{action.query}" if action.query else "")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if jar:
        headers["Cookie"] = cookie_header(jar)
    return server.request("POST", target, body=urllib.parse.urlencode([tuple(field) for field in fields]),
                          headers=headers)


def sign_in_over_http(server, email, password):
    return http_submit(server, "/sign-in", "account-sign-in", {"email": email, "password": password})


# ---------------------------------------------------------------------------------------------
# A person in their own browser
# ---------------------------------------------------------------------------------------------

def path_of(url):
    return urllib.parse.urlsplit(url).path


def _new_page_loaded(driver):
    try:
        return driver.execute_script(
            "return window.certwatchOldPage === undefined && document.readyState === 'complete'")
    except WebDriverException:  # asked while the browser swaps documents
        return False


def button(container, label):
    """The button (or submit input) in `container` whose label is `label`."""
    for candidate in container.find_elements(By.CSS_SELECTOR, "button, input[type=submit]"):
        text = candidate.text.strip() or (candidate.get_attribute("value") or "").strip()
        if text == label:
            return candidate
    raise AssertionError(f"no button {label!r} in {container.tag_name}#{container.get_attribute('id')}"
                         f".{container.get_attribute('class')}")


class Person:
    """One person's browser (so their own cookies) on one CertWatch server."""

    def __init__(self, server, label):
        self.server = server
        self.label = label
        self.driver = new_browser()

    def quit(self):
        self.driver.quit()

    # -- looking --

    @property
    def url(self):
        return self.driver.current_url

    @property
    def path(self):
        return path_of(self.driver.current_url)

    @property
    def port(self):
        return urllib.parse.urlsplit(self.driver.current_url).port

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        return self.find(css).text.strip()

    def heading(self):
        return self.text("h1")

    def body_text(self):
        return self.find("body").text

    def form(self, form_id):
        return self.driver.find_element(By.ID, form_id)

    def error(self):
        """The texts of the page's p.error paragraphs, joined; "" when there is none."""
        return " ".join(p.text.strip() for p in self.find_all("p.error")).strip()

    def nav(self):
        """{link text: path} of the main navigation."""
        navs = self.find_all('nav[aria-label="Main"]')
        if not navs:
            return {}
        return {a.text.strip(): path_of(a.get_attribute("href")) for a in navs[0].find_elements(By.TAG_NAME, "a")}

    def cookies(self):
        """The browser's cookies for the page it shows, as {name: value}."""
        return {cookie["name"]: cookie["value"] for cookie in self.driver.get_cookies()}

    # -- doing --

    def open(self, path_or_url):
        self.driver.get(path_or_url if "://" in path_or_url else self.server.base_url + path_or_url)

    def wait_for_new_page(self, action, what):
        """Runs `action` (a click) and waits until a new page has loaded."""
        self.driver.execute_script("window.certwatchOldPage = true")  # a new page has a new window object
        action()
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(_new_page_loaded)
        except TimeoutException:
            raise AssertionError(f"{self.label}: {what} did not load a new page (still {self.url})")

    def click(self, element):
        label = element.text or element.get_attribute("value")
        self.wait_for_new_page(element.click, f"clicking {label!r}")

    def press(self, container, label):
        self.click(button(container, label))

    def fill(self, element_id, text):
        field = self.driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)
        return field

    def choose(self, element_id, wanted):
        """Selects the option of select#`element_id` whose value or label is `wanted` (any case)."""
        select = Select(self.driver.find_element(By.ID, element_id))
        for option in select.options:
            if wanted.lower() in ((option.get_attribute("value") or "").strip().lower(), option.text.strip().lower()):
                option.click()
                return
        raise AssertionError(f"no option {wanted!r} in select#{element_id}")

    def set_password_here(self, password):
        """Fills the open set-password page (an invitation or reset link) and sends it."""
        form = self.form("set-password")
        self.fill("new-password", password)
        self.fill("confirm-password", password)
        self.press(form, "Set password")

    def choose_password(self, link, password):
        self.open(link)
        self.set_password_here(password)

    def sign_in(self, email, password):
        self.open("/sign-in")
        form = self.form("account-sign-in")
        self.fill("email", email)
        self.fill("password", password)
        self.press(form, "Sign in")

    def enter_code(self, code):
        form = self.form("code-form")
        self.fill("code", code)
        self.press(form, "Verify")

    def sign_out(self):
        if not self.find_all("form#sign-out"):
            self.open("/")
        self.press(self.form("sign-out"), "Sign out")

    def sign_in_through_provider(self, provider, username, password):
        """Starts single sign-on on /sign-in and logs in at the provider; returns where it ends."""
        self.open("/sign-in")
        self.click(self.find("a#sso-sign-in"))
        if self.port != provider.port or not self.path.startswith("/accounts/login"):
            raise AssertionError(f"single sign-on did not reach the provider's login page: {self.url}")
        self.fill("username", username)
        self.fill("password", password)
        self.click(self.find("button#submit"))

    def run_check(self, supplier, product):
        """A purchase check on /check; returns (decision, check id) of the answer page."""
        self.open("/check")
        form = self.form("check")
        self.fill("supplier", supplier)
        self.fill("product", product)
        self.press(form, "Check")
        return self.text("section#answer p.decision"), self.text("code#check-id")

    def people(self):
        """The rows of /admin/people's table#people by email address (the page must be open)."""
        rows = {}
        for row in self.find_all("table#people tbody tr"):
            cells = row.find_elements(By.CSS_SELECTOR, "td.email")
            if cells and cells[0].text.split():
                rows[cells[0].text.split()[0].lower()] = row
        return rows

    def person_row(self, email):
        self.open("/admin/people")
        rows = self.people()
        if email not in rows:
            raise AssertionError(f"{email} is not in table#people: {list(rows)}")
        return rows[email]

    def state_of(self, email):
        return self.person_row(email).find_element(By.CSS_SELECTOR, "td.state").text.strip().lower()


# ---------------------------------------------------------------------------------------------
# Base class: a sink, a server, the first admin signed in
# ---------------------------------------------------------------------------------------------

def merged(base, extra):
    out = dict(base)
    for key, value in extra.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


class AccountsTestCase(unittest.TestCase):
    """One SMTP sink and one `certwatch serve --sample-data` (empty database) per class; unless
    `first_admin_signed_in` is False, `cls.admin` is a browser where the first admin chose a
    password through the console link and is signed in."""

    maxDiff = None
    first_admin_signed_in = True
    failed = False
    helpers = ()

    @classmethod
    def extra_config(cls):
        return {}

    @classmethod
    def before_server_start(cls):
        """Runs after the server's port is chosen, before it starts (the SSO tests start the
        provider here: its redirect URI names CertWatch's port)."""

    @classmethod
    def setUpClass(cls):
        cls.failed = False
        cls.helpers = []
        cls.addClassCleanup(cls._stop_helpers)
        cls.sink = SMTPSink()
        cls.helpers.append(cls.sink)
        cls.server = CertWatchServer()
        cls.addClassCleanup(cls.server.stop)
        cls.before_server_start()
        cls.server.config = merged({
            "auth": {"bcryptCost": 4},
            "smtp": {"url": f"smtp://127.0.0.1:{cls.sink.port}", "from": "certwatch@example.org"},
        }, cls.extra_config())
        cls.server.start()
        if cls.first_admin_signed_in:
            cls.admin = cls.class_person("admin")
            cls.admin.choose_password(cls.server.first_admin_link(), ADMIN_PASSWORD)
            if cls.admin.path != "/":
                raise AssertionError(f"the first admin's link did not sign them in: {cls.admin.url}: "
                                     f"{cls.admin.error()}")

    @classmethod
    def _stop_helpers(cls):
        for helper in reversed(cls.helpers):
            helper.stop(print_log=cls.failed)

    @classmethod
    def class_person(cls, label):
        person = Person(cls.server, label)
        cls.addClassCleanup(person.quit)
        return person

    def run(self, result=None):
        """Has the servers print their output at the end when this test failed."""
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            type(self).failed = True
            if getattr(type(self), "server", None) is not None:
                type(self).server.failed = True
        return outcome

    # -- helpers for tests --

    def person(self, label):
        person = Person(self.server, label)
        self.addCleanup(person.quit)
        return person

    def user(self, email):
        """The account as GET /v1/users (admin key) shows it, or None."""
        users = self.server.api("GET", "/v1/users")["users"]
        matches = [user for user in users if user["email"].lower() == email.lower()]
        return matches[0] if matches else None

    def invite(self, email, name, role="purchaser"):
        """Invites through the API (admin key) and returns the link from the invitation email."""
        since = self.sink.mark()
        self.server.api("POST", "/v1/users", {"email": email, "name": name, "role": role})
        return link_in(self.sink.wait_for(email, INVITATION_SUBJECT, since), self.server)

    def active_person(self, email, name, password, role="purchaser"):
        """An invited person who set `password` through the emailed link: their browser, signed in."""
        person = self.person(name)
        person.choose_password(self.invite(email, name, role), password)
        self.assertEqual(person.path, "/", f"{email} is signed in after choosing a password: {person.error()}")
        return person

    def assertRedirectsToSignIn(self, reply, what):
        self.assertIn(reply.status, REDIRECTS, f"{what}: expected a redirect to /sign-in, got {reply!r}")
        self.assertEqual(reply.location_path(), "/sign-in", f"{what}: Location {reply.header('Location')!r}")

    def assertSignedOut(self, person, what):
        person.open("/")
        self.assertEqual(person.path, "/sign-in", f"{what}: {person.label}'s browser is not signed out")

    def assertRefusedSignIn(self, person, message=WRONG_PASSWORD_MESSAGE):
        self.assertEqual(person.path, "/sign-in", f"{person.label} was signed in: {person.url}")
        self.assertIn(message, person.error())
        person.form("account-sign-in")  # the form is there to try again


# ---------------------------------------------------------------------------------------------
# The RFC 6238 helper itself (no server)
# ---------------------------------------------------------------------------------------------

class TOTPHelperTests(unittest.TestCase):
    def test_the_rfc_6238_sha1_vectors(self):
        secret = base64.b32encode(b"12345678901234567890").decode().rstrip("=")
        for seconds, code in [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"),
                              (1234567890, "005924"), (2000000000, "279037"), (20000000000, "353130")]:
            self.assertEqual(totp(secret, totp_step(seconds)), code, seconds)

    def test_a_wrong_code_is_none_of_the_near_ones(self):
        secret = base64.b32encode(b"12345678901234567890").decode()
        wrong = wrong_code(secret)
        self.assertNotIn(wrong, {totp(secret, totp_step() + delta) for delta in range(-2, 3)})


# ---------------------------------------------------------------------------------------------
# 1. The first admin of a new installation
# ---------------------------------------------------------------------------------------------

class FirstAdminTests(AccountsTestCase):
    first_admin_signed_in = False

    def test_the_console_link_lets_the_first_admin_choose_a_password_once(self):
        link = self.server.first_admin_link()
        self.assertTrue(link.startswith(self.server.base_url + "/set-password/"), link)
        path = path_of(link)
        self.assertEqual(self.user(ADMIN_EMAIL)["role"], "admin")
        self.assertEqual(self.user(ADMIN_EMAIL)["state"], "invited")
        self.assertIn('id="key"', self.server.get("/sign-in").body,
                      "the API key form is offered while no account is active (web.keySignIn auto)")

        admin = self.person("first admin")
        admin.open(link)
        self.assertIn(admin.heading(), ("Welcome to CertWatch", "Choose a new password"))

        # A weak password: refused with words, nothing changed.
        admin.set_password_here(WEAK_PASSWORD)
        self.assertTrue(admin.path.startswith("/set-password/"), admin.url)
        self.assertTrue(admin.error(), "a p.error says why the password is refused")
        admin.form("set-password")
        reply = http_submit(self.server, path, "set-password",
                            {"new-password": WEAK_PASSWORD, "confirm-password": WEAK_PASSWORD})
        self.assertEqual(reply.status, 422, reply)
        self.assertTrue(error_texts(reply.body), "the 422 page has a p.error")
        self.assertEqual(self.user(ADMIN_EMAIL)["state"], "invited", "a weak password changes nothing")
        self.assertEqual(self.server.get(path).status, 200, "the link still works after a weak password")
        self.assertSignedOut(admin, "after a weak password")

        # A good one: signed in, on the dashboard, as an admin.
        admin.choose_password(link, ADMIN_PASSWORD)
        self.assertEqual(admin.path, "/", admin.error())
        self.assertEqual(admin.heading(), "Dashboard")
        nav = admin.nav()
        self.assertEqual(nav.get("Your account"), "/account", nav)
        self.assertEqual(nav.get("People"), "/admin/people", nav)
        self.assertEqual(self.user(ADMIN_EMAIL)["state"], "active")
        self.assertNotIn('id="key"', self.server.get("/sign-in").body, "no API key form once an account is active")

        # The link works once.
        self.assertEqual(self.server.get(path).status, 410)
        someone = self.person("someone with the old link")
        someone.open(link)
        self.assertEqual(someone.heading(), GONE_HEADING)
        self.assertSignedOut(someone, "after opening a used link")

        # The password signs in.
        admin.sign_out()
        self.assertEqual(admin.path, "/sign-in")
        admin.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
        self.assertEqual(admin.path, "/", admin.error())


# ---------------------------------------------------------------------------------------------
# 2. Invite -> set password -> check -> the record names the person
# ---------------------------------------------------------------------------------------------

class InvitationTests(AccountsTestCase):
    def test_an_invited_purchaser_sets_a_password_and_the_check_names_them(self):
        pat_email = "pat@example.com"
        self.admin.open("/admin/people")
        invite = self.admin.form("invite")
        self.admin.fill("invite-email", pat_email)
        self.admin.fill("invite-name", "Pat Buyer")
        self.admin.choose("invite-role", "purchaser")
        since = self.sink.mark()
        self.admin.press(invite, "Invite")
        self.assertIn("invited", self.admin.state_of(pat_email))
        self.assertEqual(self.user(pat_email)["role"], "purchaser")

        link = link_in(self.sink.wait_for(pat_email, INVITATION_SUBJECT, since), self.server)
        pat = self.person("pat")
        pat.open(link)
        self.assertEqual(pat.heading(), "Welcome to CertWatch")
        pat.set_password_here("pat-Orchard-Ledger-93")
        self.assertEqual(pat.path, "/", pat.error())
        self.assertEqual(pat.heading(), "Dashboard")
        nav = pat.nav()
        self.assertEqual(nav.get("Your account"), "/account", nav)
        self.assertNotIn("People", nav)
        self.assertIn("active", self.admin.state_of(pat_email))

        decision, check_id = pat.run_check(NORTHFIELD, "Rolled oats")
        self.assertEqual(decision, "ALLOW")
        self.assertIn(pat_email, pat.text("#asked-by"))
        self.assertEqual(self.server.api("GET", f"/v1/purchase-checks/{check_id}")["askedBy"], pat_email)
        listed = self.server.api_list("/v1/purchase-checks?" + urllib.parse.urlencode({"askedBy": pat_email}))
        self.assertIn(check_id, [item["checkId"] for item in listed])
        pat.open(f"/checks/{check_id}/print")
        self.assertIn(pat_email, pat.body_text(), "the printable view names the person")

    def test_the_api_key_form_is_gone_once_an_account_is_active(self):
        visitor = self.person("visitor")
        visitor.open("/sign-in")
        visitor.form("account-sign-in")
        self.assertFalse(visitor.find_all("form#sign-in"), "no API key form (web.keySignIn auto)")
        self.assertFalse(visitor.find_all("input#key"))
        self.assertEqual(path_of(visitor.find("a#forgot-password").get_attribute("href")), "/forgot-password")
        self.assertNotIn('id="key"', self.server.get("/sign-in").body)
        reply = self.server.post_form("/sign-in", {"key": self.server.admin_key})
        self.assertTrue(400 <= reply.status < 500, f"a key posted to /sign-in is refused: {reply!r}")

    def test_resending_an_invitation_replaces_the_old_link(self):
        email = "quinn@example.com"
        old_link = self.invite(email, "Quinn Buyer")
        row = self.admin.person_row(email)
        since = self.sink.mark()
        self.admin.press(row.find_element(By.CSS_SELECTOR, "form.resend"), "Resend invitation")
        new_link = link_in(self.sink.wait_for(email, INVITATION_SUBJECT, since), self.server)
        self.assertNotEqual(new_link, old_link)
        self.assertEqual(self.server.get(path_of(old_link)).status, 410, "the old link stops working")
        quinn = self.person("quinn")
        quinn.open(old_link)
        self.assertEqual(quinn.heading(), GONE_HEADING)
        quinn.choose_password(new_link, "quinn-Harbour-Mosaic-58")
        self.assertEqual(quinn.path, "/", quinn.error())


# ---------------------------------------------------------------------------------------------
# 3. Forgot password
# ---------------------------------------------------------------------------------------------

class ForgotPasswordTests(AccountsTestCase):
    def test_a_reset_link_sets_a_new_password_once_and_unknown_addresses_look_the_same(self):
        riley, nobody = "riley@example.com", "nobody-here@example.com"
        old_password, new_password = "riley-Copper-Kettle-21", "riley-Willow-Signal-84"
        self.active_person(riley, "Riley Buyer", old_password).sign_out()

        # Over HTTP: the same status and the same words for an unknown and a known address.
        since = self.sink.mark()
        unknown = http_submit(self.server, "/forgot-password", "forgot-password", {"email": nobody})
        known = http_submit(self.server, "/forgot-password", "forgot-password", {"email": riley})
        self.assertEqual(unknown.status, 200, unknown)
        self.assertEqual(known.status, 200, known)
        self.assertIn(RESET_NOTICE, page_text(known.body))
        self.assertEqual(page_text(unknown.body), page_text(known.body))
        self.sink.wait_for(riley, RESET_SUBJECT, since)

        # In the browser, from the sign-in page's link.
        visitor = self.person("visitor")
        visitor.open("/sign-in")
        visitor.click(visitor.find("a#forgot-password"))
        self.assertEqual(visitor.path, "/forgot-password")
        pages = {}
        for address in (nobody, riley):
            since = self.sink.mark()
            visitor.open("/forgot-password")
            form = visitor.form("forgot-password")
            visitor.fill("email", address)
            visitor.press(form, "Send the link")
            self.assertIn(RESET_NOTICE, visitor.text("p.notice"))
            pages[address] = visitor.body_text()
        self.assertEqual(pages[nobody], pages[riley], "the page says nothing about whether the address has an account")
        link = link_in(self.sink.wait_for(riley, RESET_SUBJECT, since), self.server)
        self.assertEqual(self.sink.to(nobody), [], "no email to an address without an account")

        # The link sets a new password and signs in.
        reset = self.person("riley resetting")
        reset.open(link)
        self.assertEqual(reset.heading(), "Choose a new password")
        reset.set_password_here(new_password)
        self.assertEqual(reset.path, "/", reset.error())

        # The old password no longer works; the new one does.
        other = self.person("riley elsewhere")
        other.sign_in(riley, old_password)
        self.assertRefusedSignIn(other)
        reply = sign_in_over_http(self.server, riley, old_password)
        self.assertEqual(reply.status, 401, reply)
        self.assertIn(WRONG_PASSWORD_MESSAGE, " ".join(error_texts(reply.body)))
        other.sign_in(riley, new_password)
        self.assertEqual(other.path, "/", other.error())

        # The link works once.
        self.assertEqual(self.server.get(path_of(link)).status, 410)
        visitor.open(link)
        self.assertEqual(visitor.heading(), GONE_HEADING)
        self.assertEqual(self.sink.to(nobody), [], "still no email to an address without an account")


# ---------------------------------------------------------------------------------------------
# 4. Two-step sign-in (TOTP) with recovery codes
# ---------------------------------------------------------------------------------------------

class TwoStepSignInTests(AccountsTestCase):
    def test_two_step_sign_in_with_the_app_code_and_recovery_codes_each_good_once(self):
        email, password = "tess@example.com", "tess-Granite-Beacon-36"
        tess = self.active_person(email, "Tess Buyer", password)

        tess.open("/account")
        tess.press(tess.form("totp-start"), "Set up two-step sign-in")
        secret = tess.text("code#totp-secret")
        self.assertRegex(re.sub(r"\s", "", secret), r"^[A-Z2-7]+=*$", "a base-32 secret")
        confirm = tess.form("totp-confirm")
        enrolled_step, enrolment_code = current_code(secret)
        tess.fill("code", enrolment_code)
        tess.press(confirm, "Turn on")
        recovery = [li.text.strip() for li in tess.find_all("ul#recovery-codes li")]
        self.assertEqual(len(recovery), 10, recovery)
        self.assertEqual(len(set(recovery)), 10, recovery)
        for code in recovery:
            self.assertRegex(code, RECOVERY_CODE)
        tess.open("/account")
        self.assertFalse(tess.find_all("#recovery-codes"), "the recovery codes are shown once")
        tess.form("totp-remove")
        self.assertFalse(tess.find_all("form#totp-start"))

        # The password alone is not enough.
        tess.sign_out()
        tess.sign_in(email, password)
        self.assertEqual(tess.path, "/sign-in/code", tess.error())
        self.assertRedirectsToSignIn(http_get(self.server, "/", tess.cookies()), "between the password and the code")

        # A wrong code is refused.
        wrong = wrong_code(secret)
        tess.enter_code(wrong)
        self.assertEqual(tess.path, "/sign-in/code")
        self.assertIn(WRONG_CODE_MESSAGE, tess.error())
        reply = http_submit(self.server, "/sign-in/code", "code-form", {"code": wrong}, cookies=tess.cookies())
        self.assertEqual(reply.status, 401, reply)
        self.assertIn(WRONG_CODE_MESSAGE, " ".join(error_texts(reply.body)))

        # The right code signs in (a step after the one that turned it on, early in its 30 s).
        step = wait_for_fresh_step(enrolled_step)
        code = totp(secret, step)
        tess.enter_code(code)
        self.assertEqual(tess.path, "/", tess.error())
        self.assertEqual(tess.heading(), "Dashboard")

        # The same code again, while it is still current, is refused (replay).
        tess.sign_out()
        tess.sign_in(email, password)
        self.assertEqual(tess.path, "/sign-in/code")
        tess.enter_code(code)
        self.assertLessEqual(totp_step() - step, 1, "the replay was tried while the code was still in the window")
        self.assertEqual(tess.path, "/sign-in/code", "a used code must not sign in again")
        self.assertIn(WRONG_CODE_MESSAGE, tess.error())

        # A recovery code signs in once.
        tess.enter_code(recovery[0])
        self.assertEqual(tess.path, "/", tess.error())
        tess.sign_out()
        tess.sign_in(email, password)
        tess.enter_code(recovery[0])
        self.assertEqual(tess.path, "/sign-in/code", "a used recovery code must not sign in again")
        self.assertIn(WRONG_CODE_MESSAGE, tess.error())
        tess.enter_code(recovery[1])
        self.assertEqual(tess.path, "/", tess.error())

        # A reset link does not get round the second step: someone who reads Tess's mailbox
        # still needs her phone.
        since = self.sink.mark()
        mailbox = self.person("whoever reads tess's mailbox")
        mailbox.open("/forgot-password")
        form = mailbox.form("forgot-password")
        mailbox.fill("email", email)
        mailbox.press(form, "Send the link")
        link = link_in(self.sink.wait_for(email, RESET_SUBJECT, since), self.server)
        mailbox.open(link)
        mailbox.set_password_here("tess-Quartz-Harbour-58")
        self.assertEqual(mailbox.path, "/sign-in/code", "the new password is set, the code is still asked for")
        self.assertRedirectsToSignIn(http_get(self.server, "/", mailbox.cookies()), "a reset without the code")
        # And the session Tess had before the reset has ended.
        self.assertRedirectsToSignIn(http_get(self.server, "/", tess.cookies()), "a session from before the reset")


# ---------------------------------------------------------------------------------------------
# 5. Single sign-on with OpenID Connect
# ---------------------------------------------------------------------------------------------

OP_PASSWORD = "op-Secret-Passphrase-7"


class SingleSignOnTests(AccountsTestCase):
    @classmethod
    def before_server_start(cls):
        cls.provider = OpenIDProvider(
            redirect_uri=cls.server.base_url + "/sign-in/sso/callback",
            users=[("alice", "alice@example.com", "Alice Example", OP_PASSWORD),
                   ("carol", "carol@example.com", "Carol Nobody", OP_PASSWORD)],
            unverified_users=[("bob", "bob@example.com", "Bob Unverified", OP_PASSWORD)])
        cls.helpers.append(cls.provider)

    @classmethod
    def extra_config(cls):
        return {"auth": {"oidc": {"issuer": cls.provider.issuer, "clientId": OpenIDProvider.CLIENT_ID,
                                  "clientSecret": cls.provider.client_secret}}}

    def test_a_person_with_an_account_signs_in_through_the_provider(self):
        email = "alice@example.com"
        self.invite(email, "Alice Example")  # her invitation link stays unused
        alice = self.person("alice")
        alice.open("/sign-in")
        self.assertEqual(path_of(alice.find("a#sso-sign-in").get_attribute("href")), "/sign-in/sso")
        alice.sign_in_through_provider(self.provider, "alice", OP_PASSWORD)
        self.assertEqual((alice.port, alice.path), (self.server.port, "/"), f"{alice.url}: {alice.error()}")
        self.assertEqual(alice.heading(), "Dashboard")
        self.assertEqual(self.user(email)["state"], "active")
        decision, check_id = alice.run_check(NORTHFIELD, "Rolled oats")
        self.assertEqual(decision, "ALLOW")
        self.assertEqual(self.server.api("GET", f"/v1/purchase-checks/{check_id}")["askedBy"], email)

    def test_an_address_the_provider_has_not_verified_is_refused(self):
        email = "bob@example.com"
        self.invite(email, "Bob Unverified")  # an account exists; the address is still not proven
        bob = self.person("bob")
        bob.sign_in_through_provider(self.provider, "bob", OP_PASSWORD)
        self.assertEqual((bob.port, bob.path), (self.server.port, "/sign-in"), bob.url)
        self.assertRegex(bob.error(), r"(?i)verif")
        self.assertSignedOut(bob, "after an unverified address")
        self.assertEqual(self.user(email)["state"], "invited")

    def test_an_address_without_an_account_is_refused(self):
        carol = self.person("carol")
        carol.sign_in_through_provider(self.provider, "carol", OP_PASSWORD)
        self.assertEqual((carol.port, carol.path), (self.server.port, "/sign-in"), carol.url)
        self.assertRegex(carol.error(), r"(?i)account")
        self.assertSignedOut(carol, "after an address without an account")
        self.assertIsNone(self.user("carol@example.com"), "no account is made (auth.oidc.createAccounts is off)")


# ---------------------------------------------------------------------------------------------
# 6. Disable -> signed out everywhere; sign out everywhere
# ---------------------------------------------------------------------------------------------

class SignedOutEverywhereTests(AccountsTestCase):
    def test_disabling_a_person_signs_them_out_in_every_browser(self):
        email, password = "dana@example.com", "dana-Meadow-Compass-62"
        first = self.active_person(email, "Dana Buyer", password)
        second = self.person("dana's second browser")
        second.sign_in(email, password)
        self.assertEqual(second.path, "/", second.error())
        first.open("/account")
        sessions = [row for row in first.find_all("table#sessions tbody tr") if row.find_elements(By.TAG_NAME, "td")]
        self.assertEqual(len(sessions), 2, [row.text for row in sessions])
        self.assertEqual(len([row for row in sessions if "current" in (row.get_attribute("class") or "").split()]), 1)
        first_cookies = first.cookies()

        row = self.admin.person_row(email)
        self.admin.press(row.find_element(By.CSS_SELECTOR, "form.disable"), "Disable")
        self.assertIn("disabled", self.admin.state_of(email))
        self.assertEqual(self.user(email)["state"], "disabled")

        self.assertSignedOut(first, "after being disabled")
        self.assertSignedOut(second, "after being disabled")
        self.assertRedirectsToSignIn(http_get(self.server, "/", first_cookies), "a disabled person's old session")

        second.sign_in(email, password)
        self.assertRefusedSignIn(second)
        reply = sign_in_over_http(self.server, email, password)
        self.assertEqual(reply.status, 401, reply)
        self.assertIn(WRONG_PASSWORD_MESSAGE, " ".join(error_texts(reply.body)))

    def test_sign_out_everywhere_ends_every_session_of_the_person(self):
        email, password = "ellis@example.com", "ellis-Lantern-Thistle-45"
        first = self.active_person(email, "Ellis Buyer", password)
        second = self.person("ellis's second browser")
        second.sign_in(email, password)
        self.assertEqual(second.path, "/", second.error())
        first.open("/account")
        first.press(first.form("sign-out-everywhere"), "Sign out everywhere")
        self.assertIn("Signed out everywhere", first.driver.find_element(By.TAG_NAME, "h1").text)
        self.assertSignedOut(first, "after sign out everywhere in this browser")
        self.assertSignedOut(second, "after sign out everywhere in the other browser")
        second.sign_in(email, password)
        self.assertEqual(second.path, "/", "the account itself still works")


# ---------------------------------------------------------------------------------------------
# 7. Brute force
# ---------------------------------------------------------------------------------------------

class BruteForceTests(AccountsTestCase):
    @classmethod
    def extra_config(cls):
        return {"auth": {"maxFailuresPerAccount": 5, "lockoutMinutes": 15}}

    def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(self):
        email, password = "bruno@example.com", "bruno-Falcon-Riverbed-17"
        bruno = self.active_person(email, "Bruno Buyer", password)
        bruno.sign_out()
        for attempt in range(1, 5):
            bruno.sign_in(email, f"not-brunos-password-{attempt}")
            self.assertRefusedSignIn(bruno)
        # The fifth failure uses up the allowance; it may already say so.
        bruno.sign_in(email, "not-brunos-password-5")
        self.assertEqual(bruno.path, "/sign-in")
        self.assertTrue(WRONG_PASSWORD_MESSAGE in bruno.error() or LOCKED_OUT.search(bruno.error()), bruno.error())

        bruno.sign_in(email, password)
        self.assertEqual(bruno.path, "/sign-in", "the right password must not sign in while locked out")
        self.assertRegex(bruno.error(), LOCKED_OUT)
        self.assertSignedOut(bruno, "while locked out")
        reply = sign_in_over_http(self.server, email, password)
        self.assertEqual(reply.status, 429, reply)
        self.assertRegex(" ".join(error_texts(reply.body)), LOCKED_OUT)

        # The lock is the account's: someone else from the same address still signs in.
        other = self.person("admin in another browser")
        other.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
        self.assertEqual(other.path, "/", other.error())


# ---------------------------------------------------------------------------------------------
# 8. axe-core on the new pages
# ---------------------------------------------------------------------------------------------

class AccessibilityTests(AccountsTestCase):
    def audit(self, person, label, path=None):
        with self.subTest(page=label):
            if path is not None:
                person.open(path)
            report = serious_violations(person.driver, label)
            if report:
                self.fail(report)

    def test_the_new_pages_have_no_serious_axe_violations(self):
        email, password = "axel@example.com", "axel-Saffron-Quarry-29"
        visitor = self.person("visitor")
        self.audit(visitor, "sign-in", "/sign-in")
        visitor.sign_in("nobody-here@example.com", "not-a-password-1")
        self.assertTrue(visitor.error())
        self.audit(visitor, "sign-in with the error")
        self.audit(visitor, "forgot password", "/forgot-password")
        form = visitor.form("forgot-password")
        visitor.fill("email", "nobody-here@example.com")
        visitor.press(form, "Send the link")
        self.audit(visitor, "forgot password, sent")

        link = self.invite(email, "Axel Buyer")
        axel = self.person("axel")
        self.audit(axel, "set password (invitation)", link)
        axel.set_password_here(WEAK_PASSWORD)
        self.assertTrue(axel.error())
        self.audit(axel, "set password with the weak-password error")
        axel.set_password_here(password)
        self.assertEqual(axel.path, "/", axel.error())
        self.audit(visitor, "link no longer works", link)
        self.assertEqual(visitor.heading(), GONE_HEADING)

        self.audit(axel, "your account", "/account")
        axel.press(axel.form("totp-start"), "Set up two-step sign-in")
        secret = axel.text("code#totp-secret")
        self.audit(axel, "two-step set-up")
        confirm = axel.form("totp-confirm")
        axel.fill("code", current_code(secret)[1])
        axel.press(confirm, "Turn on")
        self.assertTrue(axel.find_all("ul#recovery-codes li"))
        self.audit(axel, "recovery codes")
        axel.sign_out()
        axel.sign_in(email, password)
        self.assertEqual(axel.path, "/sign-in/code")
        self.audit(axel, "two-step code")
        axel.enter_code(wrong_code(secret))
        self.assertTrue(axel.error())
        self.audit(axel, "two-step code with the error")

        since = self.sink.mark()
        visitor.open("/forgot-password")
        form = visitor.form("forgot-password")
        visitor.fill("email", email)
        visitor.press(form, "Send the link")
        reset_link = link_in(self.sink.wait_for(email, RESET_SUBJECT, since), self.server)
        self.audit(visitor, "set password (reset)", reset_link)
        self.assertEqual(visitor.heading(), "Choose a new password")

        self.audit(self.admin, "people", "/admin/people")


if __name__ == "__main__":
    program = unittest.main(verbosity=2, exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)

"""A CertWatch server for the browser tests: started on a free loopback port with the sample data,
waited for, talked to over plain HTTP (status codes, cookies, the JSON API, the CLI) and stopped.

Only the standard library: the browser tests need Selenium and axe, nothing else.
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import shutil
import urllib.parse
import uuid

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ADMIN_KEY_LINE = re.compile(r"admin API key \(shown once\): (cwk_[0-9a-f]+)")
FIRST_ADMIN_LINE = re.compile(r"first admin sign-in link \(shown once\): (\S+)")
SECRET = re.compile(r"cwk_[0-9a-f]+")
SESSION_COOKIE = "certwatch_session"
# How long the start-up may take (server up, sample data verified); CI machines are slow.
STARTUP_SECONDS = float(os.environ.get("CERTWATCH_STARTUP_SECONDS", "120"))


def free_port():
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def certwatch_binary():
    """`$CERTWATCH_BIN` (set by scripts/test.sh), else the debug build if one is there."""
    path = os.environ.get("CERTWATCH_BIN") or os.path.join(REPO_ROOT, ".build", "debug", "certwatch")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"no certwatch binary at {path}; set CERTWATCH_BIN (scripts/test.sh does)")
    return path


class Reply:
    """One HTTP answer: status, headers (case-insensitive get), body as text and as bytes."""

    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.body = raw.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name)

    def all_headers(self, name):
        return self.headers.get_all(name) or []

    def location_path(self):
        """The path a redirect points to (absolute or relative Location), or None."""
        location = self.header("Location")
        return urllib.parse.urlsplit(location).path if location else None

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Reply {self.status} {self.body[:300]!r}>"


def multipart(fields, files):
    """A multipart/form-data body: fields {name: value}, files {name: (filename, bytes, type)}."""
    boundary = "certwatch-test-" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
             f"Content-Type: {content_type}\r\n\r\n").encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def yaml_text(settings, indent=0):
    """Nested {key: value} settings as YAML: maps as blocks, text double-quoted (JSON's quoting is
    YAML's), numbers and booleans plain, lists in flow style."""
    lines = []
    for key, value in settings.items():
        prefix = " " * indent + f"{key}:"
        if isinstance(value, dict):
            lines.append(prefix)
            lines.append(yaml_text(value, indent + 2))
        elif isinstance(value, bool):
            lines.append(f"{prefix} {'true' if value else 'false'}")
        elif isinstance(value, (int, float)):
            lines.append(f"{prefix} {value}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{prefix} [{', '.join(json.dumps(item) for item in value)}]")
        else:
            lines.append(f"{prefix} {json.dumps(str(value))}")
    return "\n".join(lines)


def fresh_database_url(tmp):
    """SQLite in `tmp`; or, with CERTWATCH_BROWSER_BACKEND=postgres, a new database on the
    PostgreSQL server CERTWATCH_TEST_POSTGRES_URL names (scripts/test.sh's throwaway one),
    created with psql."""
    if os.environ.get("CERTWATCH_BROWSER_BACKEND", "sqlite") != "postgres":
        return "sqlite:" + os.path.join(tmp, "certwatch.sqlite")
    server = os.environ["CERTWATCH_TEST_POSTGRES_URL"]
    name = "browser_" + uuid.uuid4().hex[:16]
    subprocess.run(["psql", server, "-v", "ON_ERROR_STOP=1", "-q", "-c", f"CREATE DATABASE {name}"], check=True,
                   stdout=subprocess.DEVNULL, timeout=60)
    parts = urllib.parse.urlsplit(server)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


class CertWatchServer:
    """`certwatch serve --sample-data` on a fresh database (SQLite in a temp dir, or PostgreSQL:
    `fresh_database_url`), with its output kept in a file.

    `config` (nested {key: value}, e.g. {"auth": {"bcryptCost": 4}}) is written as a YAML file
    passed with `--config`; it may be set after construction (the port is chosen at once, so a
    test server that must know CertWatch's address can be started in between)."""

    def __init__(self, config=None):
        self.config = config
        self.binary = certwatch_binary()
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.mkdtemp(prefix="certwatch-browser-")
        self.database_url = fresh_database_url(self.tmp)
        self.output_path = os.path.join(self.tmp, "server-output.txt")
        self.process = None
        self.admin_key = None
        self.saved_output = ""
        self.failed = False  # set by the tests: print the server's output when they end
        self.output_printed = False

    # -- life cycle --

    def start(self):
        command = [self.binary, "serve", "--sample-data", "--database-url", self.database_url,
                   "--host", "127.0.0.1", "--port", str(self.port)]
        if self.config:
            config_path = os.path.join(self.tmp, "certwatch.yaml")
            with open(config_path, "w", encoding="utf-8") as config_file:
                config_file.write(yaml_text(self.config) + "\n")
            command += ["--config", config_path]
        with open(self.output_path, "wb") as out:
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_SECONDS
        try:
            self.admin_key = self._wait_for("the health check and the admin key", deadline, self._ready)
            self._wait_for("the sample suppliers' verification", deadline, self._sample_verified)
        except RuntimeError:
            self.output_printed = True  # the error carries the output
            raise

    def _wait_for(self, what, deadline, probe):
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"certwatch serve exited with {self.process.returncode} while waiting for {what}:\n"
                    + self.output())
            result = probe()
            if result:
                return result
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"no {what} within {STARTUP_SECONDS:.0f} s; certwatch serve printed:\n" + self.output())
            time.sleep(0.25)

    def _ready(self):
        match = ADMIN_KEY_LINE.search(self.output())
        if not match:
            return None
        try:
            if self.get("/healthz").status != 200:
                return None
        except OSError:
            return None
        return match.group(1)

    def _sample_verified(self):
        """True once every supplier with a NOP ID has a verification (the sample's INTEGRITY check)."""
        try:
            items = self.api_list("/v1/suppliers")
        except (OSError, RuntimeError, ValueError):
            return False
        with_nop_id = [item for item in items if item.get("nopOperationId")]
        return bool(with_nop_id) and all(item.get("lastVerification") for item in with_nop_id)

    def stop(self):
        """SIGTERM, wait; then keep the output and remove the temp dir."""
        if self.process and self.process.poll() is not None:
            self.failed = True
            with open(self.output_path, "ab") as out:  # say so where the output is read
                out.write(f"\n[certwatch serve had exited before the tests ended, with {self._exit()}]\n".encode())
        elif self.process:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if os.path.exists(self.output_path):
            self.saved_output = self.output()
        if self.failed and not self.output_printed:
            self.output_printed = True
            print("\n----- certwatch serve output -----\n" + self.saved_output + "\n----- end of output -----")
        shutil.rmtree(self.tmp, ignore_errors=True)

    def wait_for_output(self, pattern, what, seconds=30):
        """The first match of `pattern` (a compiled regex) in the server's output, waited for."""
        deadline = time.monotonic() + seconds
        while True:
            match = pattern.search(self.output())
            if match:
                return match
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"no {what} in the output of certwatch serve:\n" + self.output())
            time.sleep(0.1)

    def first_admin_link(self):
        """The one-time link `serve --sample-data` prints for the first admin of an empty database."""
        return self.wait_for_output(FIRST_ADMIN_LINE, "first admin sign-in link").group(1)

    def _exit(self):
        code = self.process.returncode
        return f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"

    def output(self):
        if not os.path.exists(self.output_path):
            return self.saved_output
        with open(self.output_path, "rb") as out:
            return out.read().decode("utf-8", "replace")

    # -- plain HTTP --

    def request(self, method, path, body=None, headers=None, cookie=None):
        """One request, redirects not followed, errors as answers (never exceptions)."""
        headers = dict(headers or {})
        if cookie:
            headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
        if method == "POST":
            headers.setdefault("Origin", self.base_url)  # as a browser's form post has
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, path, cookie=None, headers=None):
        return self.request("GET", path, headers=headers, cookie=cookie)

    def post_form(self, path, fields, cookie=None):
        body = urllib.parse.urlencode(fields)
        return self.request("POST", path, body=body, cookie=cookie,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def post_multipart(self, path, fields, files, cookie=None):
        body, content_type = multipart(fields, files)
        return self.request("POST", path, body=body, cookie=cookie, headers={"Content-Type": content_type})

    # -- the JSON API, as the admin --

    def api(self, method, path, payload=None):
        headers = {"Authorization": f"Bearer {self.admin_key}", "Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        reply = self.request(method, path, body=body, headers=headers)
        if reply.status >= 300:
            raise RuntimeError(f"{method} {path} answered {reply.status}: {reply.body}")
        return reply.json() if reply.body else None

    def api_list(self, path):
        """Every item of a paged list, following `nextCursor`."""
        items, cursor = [], None
        while True:
            page_path = path
            if cursor:
                page_path += ("&" if "?" in path else "?") + urllib.parse.urlencode({"cursor": cursor})
            page = self.api("GET", page_path)
            items.extend(page["items"])
            cursor = page.get("nextCursor")
            if not cursor:
                return items

    def supplier_id(self, name):
        """The CertWatch id of the supplier with exactly this name."""
        matches = [item["id"] for item in self.api_list("/v1/suppliers") if item["name"] == name]
        if len(matches) != 1:
            raise AssertionError(f"expected one supplier named {name!r}, found {len(matches)}")
        return matches[0]

    # -- the CLI on the same database --

    def cli(self, *arguments):
        completed = subprocess.run(
            [self.binary, *arguments, "--database-url", self.database_url],
            cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        if completed.returncode != 0:
            raise RuntimeError(f"certwatch {' '.join(arguments)} failed ({completed.returncode}):\n"
                               f"{completed.stdout}{completed.stderr}")
        return completed.stdout

    def create_key(self, name, role):
        """`certwatch keys create`; returns the secret it prints once."""
        output = self.cli("keys", "create", "--name", name, "--role", role)
        match = SECRET.search(output)
        if not match:
            raise RuntimeError(f"no cwk_ secret in the output of keys create: {output!r}")
        return match.group(0)

    def revoke_key(self, name):
        output = self.cli("keys", "revoke", name)
        if f"revoked {name}" not in output:
            raise RuntimeError(f"unexpected output of keys revoke: {output!r}")

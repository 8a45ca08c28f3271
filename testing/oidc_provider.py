#!/usr/bin/env python3
"""A real OpenID Provider on loopback for CertWatch's SSO tests: django-oidc-provider (PyPI) in a
tiny Django project (testing/oidc_provider/certwatch_op/), served in-process by Django's threaded
WSGI server, with a fresh SQLite database in a temporary directory that is deleted at exit.

    python3 testing/oidc_provider.py --port 0 --redirect-uri URI [--redirect-uri URI2 ...]
        --client-id certwatch --client-secret SECRET
        --user 'alice:alice@example.com:Alice Example:password' [--user ...]
        [--unverified-email-user 'bob:bob@other.example:Bob:pw' ...]
        [--require-pkce] [--public-host localhost] [--verbose] [--exit-with-stdin]

A user is USERNAME:EMAIL:FULL NAME:PASSWORD (the password may contain ':'). The client id and
secret may hold only A-Z a-z 0-9 . _ ~ - (oidc_provider neither form-decodes client_secret_basic
nor allows a ':' in it). Prints
"listening on PORT" once it answers; stops on SIGTERM, SIGINT or, with --exit-with-stdin, when
its stdin closes.

Issuer: http://127.0.0.1:PORT/openid, or with --public-host NAME http://NAME:PORT/openid (exactly, no trailing slash). Endpoints:
    GET  /openid/.well-known/openid-configuration    discovery
    GET  /openid/authorize       code flow; PKCE (S256 or plain) if the client sends code_challenge
    POST /openid/token           client_secret_basic or client_secret_post
    GET  /openid/userinfo        Authorization: Bearer ACCESS_TOKEN
    GET  /openid/jwks            the RS256 key; the ID token's header names it by kid
    GET  /openid/end-session, POST /openid/introspect
    GET  /accounts/login/        where authorize sends a browser that has no session

The one client is confidential, RS256, response type `code`, scopes `openid email profile`,
no consent page. ID tokens carry iss, sub (the user's number, "1" for the first --user), aud
(the client id), exp (iat + 600 s), iat, auth_time, nonce (when the request had one), at_hash,
email, email_verified (true, or false for --unverified-email-user), name, given_name,
family_name, preferred_username, nickname. Codes live 600 s and are single-use (a refused
exchange, e.g. a wrong code_verifier, does not use one up); access tokens 3600 s, with a
refresh token. Token errors are 400 with {"error": "invalid_grant" | "invalid_client", ...}.
An unregistered redirect_uri or client_id gets an error page (200), not a redirect. Once signed
in, a browser is sent straight back to the client by later authorization requests (the OP's
session); prompt=login asks again.

The login page is a form with input#username, input#password and button#submit; a wrong
password shows it again with p#error. It has Django's CSRF protection: a client that is not a
browser must keep cookies, send the page's csrfmiddlewaretoken back and, if it sends an Origin
header, one that matches the OP. Its cookies (test_op_session, test_op_csrftoken) are set on
127.0.0.1, which browsers share between ports, so CertWatch on another port receives them too.

--require-pkce refuses an authorization request without code_challenge_method=S256 (answered
with 400 "PKCE S256 required"), to prove a client sends PKCE. --verbose logs every request and
oidc_provider's reasons for refusing one to stderr.
"""
import argparse
import io
import os
import re
import shutil
import signal
import sys
import tempfile
import threading

# `import oidc_provider` must find the django-oidc-provider package, not this script (Python puts
# the script's directory, testing/, first on sys.path); the project sits in testing/oidc_provider/.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[0] = os.path.join(HERE, "oidc_provider")


def user_spec(text):
    parts = text.split(":", 3)
    if len(parts) != 4 or not parts[0]:
        raise argparse.ArgumentTypeError("expected USERNAME:EMAIL:FULL NAME:PASSWORD")
    return parts


def client_credential(text):
    # oidc_provider reads client_secret_basic without the form-decoding RFC 6749 asks for and
    # splits it at every ':', so only characters that encoding leaves alone work with both methods.
    if not text or not re.fullmatch(r"[A-Za-z0-9._~-]+", text):
        raise argparse.ArgumentTypeError("use only A-Z a-z 0-9 . _ ~ -")
    return text


def parse_arguments():
    parser = argparse.ArgumentParser(description="A real OpenID Provider on loopback for tests.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--client-id", type=client_credential, default="certwatch")
    parser.add_argument("--client-secret", type=client_credential, required=True)
    parser.add_argument("--user", type=user_spec, action="append", default=[])
    parser.add_argument("--unverified-email-user", type=user_spec, action="append", default=[])
    parser.add_argument("--require-pkce", action="store_true")
    # The host name in the issuer (and so in every URL the provider hands out): `localhost` puts
    # the provider on another site than a client on 127.0.0.1, as a company's provider is, so
    # SameSite cookie rules apply as they do in production. It still listens on 127.0.0.1.
    parser.add_argument("--public-host", default="127.0.0.1")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--exit-with-stdin", action="store_true")
    return parser.parse_args()


def populate(args):
    """The signing key, the users and the client, in the fresh database."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    from certwatch_op.userinfo import UNVERIFIED_EMAIL_GROUP

    call_command("migrate", verbosity=0)
    call_command("creatersakey", stdout=io.StringIO())  # it reports failure on stdout, not by raising
    if not RSAKey.objects.exists():
        raise SystemExit("oidc_provider: creatersakey made no key")
    unverified = Group.objects.create(name=UNVERIFIED_EMAIL_GROUP)
    for (username, email, name, password), verified in (
        [(spec, True) for spec in args.user] + [(spec, False) for spec in args.unverified_email_user]
    ):
        first, _, last = name.partition(" ")
        user = User.objects.create_user(username, email, password, first_name=first, last_name=last)
        if not verified:
            user.groups.add(unverified)
    client = Client.objects.create(
        name=args.client_id, client_type="confidential", client_id=args.client_id,
        client_secret=args.client_secret, jwt_alg="RS256", require_consent=False,
        _redirect_uris="\n".join(args.redirect_uri), _scope="openid email profile",
    )
    client.response_types.add(ResponseType.objects.get(value="code"))


def require_pkce(application):
    """WSGI middleware for --require-pkce."""
    from urllib.parse import parse_qs

    def guarded(environ, start_response):
        if environ.get("PATH_INFO", "").rstrip("/") == "/openid/authorize":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            if query.get("code_challenge_method") != ["S256"] or not query.get("code_challenge"):
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [b"PKCE S256 required"]
        return application(environ, start_response)

    return guarded


def main():
    args = parse_arguments()
    # Anything Django prints while starting goes to stderr: stdout's first line is the port.
    stdout, sys.stdout = sys.stdout, sys.stderr

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    directory = tempfile.mkdtemp(prefix="certwatch-oidc-")
    try:
        # Bind first (port 0 = any free port) so the issuer can name the real port.
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

        server = ThreadedWSGIServer(("127.0.0.1", args.port), WSGIRequestHandler)
        port = server.server_address[1]
        os.environ.update(
            DJANGO_SETTINGS_MODULE="certwatch_op.settings",
            CERTWATCH_OP_DB=os.path.join(directory, "op.sqlite3"),
            CERTWATCH_OP_SITE_URL=f"http://{args.public_host}:{port}",
            CERTWATCH_OP_VERBOSE="1" if args.verbose else "0",
        )
        import django
        from django.core.wsgi import get_wsgi_application

        django.setup()
        populate(args)
        application = get_wsgi_application()
        server.set_app(require_pkce(application) if args.require_pkce else application)
        print(f"listening on {port}", file=stdout, flush=True)
        if args.exit_with_stdin:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            sys.stdin.read()
        else:
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Settings of the test OpenID Provider. testing/oidc_provider.py sets the environment variables
below before Django starts; nothing here is fit for production (fixed secret key, fast password
hashes, HTTP)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

SECRET_KEY = "certwatch-test-op-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",  # django-oidc-provider (PyPI): the endpoints under /openid/
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "certwatch_op.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [os.path.join(HERE, "templates")],
    "APP_DIRS": True,  # oidc_provider's own error and consent pages
    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
}]
# A fresh SQLite file per run, in a temporary directory the launcher deletes at exit.
DATABASES = {"default": {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": os.environ["CERTWATCH_OP_DB"],
    # The server is threaded. The token endpoint reads and then writes in one transaction; begun
    # as DEFERRED, two at once fail at once with "database is locked". IMMEDIATE takes the write
    # lock first, and waits up to `timeout` seconds for it.
    "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LOGIN_URL = "/accounts/login/"

# Cookies are per host, not per port: the OP on 127.0.0.1:P shares a browser's cookie jar with
# CertWatch on 127.0.0.1:Q, so its cookies get names CertWatch will never use.
SESSION_COOKIE_NAME = "test_op_session"
CSRF_COOKIE_NAME = "test_op_csrftoken"

# Test users log in thousands of times faster than with PBKDF2's 1,000,000 rounds.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The issuer is SITE_URL + "/openid"; the launcher knows the port only once it has bound it.
SITE_URL = os.environ["CERTWATCH_OP_SITE_URL"]
OIDC_USERINFO = "certwatch_op.userinfo.userinfo"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True  # email, email_verified, name in the ID token, not only at /userinfo

# Quiet by default (the tests' output is shared); --verbose logs each request and, from
# oidc_provider, why a request was refused. Server errors are always logged.
VERBOSE = os.environ.get("CERTWATCH_OP_VERBOSE") == "1"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.server": {"handlers": ["stderr"], "level": "INFO" if VERBOSE else "ERROR", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "WARNING" if VERBOSE else "ERROR", "propagate": False},
        "oidc_provider": {"handlers": ["stderr"], "level": "DEBUG" if VERBOSE else "ERROR", "propagate": False},
    },
}

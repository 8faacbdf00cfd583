"""Sharewise's one settings module, driven by environment variables.

Every entry point uses it: `sharewise serve`, `sharewise manage`, the WSGI application and
the tests. Nothing here needs editing to deploy; the environment says where the data lives,
which database to use and whether the service sits behind HTTPS:

    SHAREWISE_DATA_DIR      where the SQLite database, the secret key and the collected
                            static files live (default $XDG_DATA_HOME/sharewise, or
                            ~/.local/share/sharewise where XDG_DATA_HOME is unset; the
                            tests use tests/settings.py, which gives each run its own)
    DATABASE_URL            a PostgreSQL URL (postgres://user:password@host:5432/name);
                            without it, SQLite in the data directory
    SHAREWISE_SECRET_KEY    the signing key; without it, <data dir>/secret_key, made on first
                            use
    SHAREWISE_DEBUG         "on" shows Django's debug pages (never on a live service)
    SHAREWISE_ALLOWED_HOSTS the host names the service answers to, comma separated
                            (default 127.0.0.1,localhost)
    SHAREWISE_HTTPS         "on" when a TLS proxy is in front: secure cookies and HSTS
    SHAREWISE_DEMO          "on" runs the fictional demo partnership (default: on only with
                            SQLite and without HTTPS; never allowed with SHAREWISE_HTTPS=on)
    SHAREWISE_DEMO_PASSWORD the demo accounts' shared password (default demo-password-2026)
    SHAREWISE_SESSION_MINUTES
                            minutes of inactivity after which a session ends (default 30)
    SHAREWISE_MAX_BODY_BYTES
                            the largest request body accepted, in bytes (default 1048576,
                            1 MB); a larger one is refused with 413
    SHAREWISE_REPORTS_MINIMUM_COUNT
                            the smallest count a partnership administrator's dashboards
                            show of agencies they do not monitor (default 5): fewer is
                            shown as "Fewer than 5", the rest rounded to multiples of it;
                            1 shows every count as it is
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


def _env_flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    # A typo such as SHAREWISE_HTTPS=onn must not silently leave cookies insecure.
    raise ImproperlyConfigured(f"{name} must be on or off, not {value!r}")


def _data_dir() -> Path:
    configured = os.environ.get("SHAREWISE_DATA_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    xdg_data_home = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg_data_home) if xdg_data_home else Path.home() / ".local" / "share"
    return base / "sharewise"


def _secret_key(data_dir: Path) -> str:
    configured = os.environ.get("SHAREWISE_SECRET_KEY", "").strip()
    if configured:
        return configured
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        # Written to a private temporary file and then linked into place, so that two
        # processes starting at once (gunicorn's workers, a `manage` command) agree on one
        # key and none ever reads a half-written file; the link fails if another process
        # got there first, and its key is used.
        fd, temporary = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(50) + "\n")
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, key_file)
        finally:
            os.unlink(temporary)
    key = key_file.read_text(encoding="ascii").strip()
    if not key:
        raise ImproperlyConfigured(f"{key_file} is empty: delete it to make a new key")
    return key


def _sqlite(data_dir: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "sharewise.sqlite3",
        "OPTIONS": {
            # WAL lets readers carry on while one process writes. IMMEDIATE transactions
            # take the write lock at BEGIN, so a second writer waits for it (up to the busy
            # timeout, 20 s) instead of failing with "database is locked" halfway through a
            # transaction that started as a read. `synchronous` stays at its default, FULL:
            # a decision once recorded must survive a power cut.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
        },
    }


# The data directory holds the database (personal data) and the secret key, so only its
# owner may open it.
DATA_DIR = _data_dir()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = _env_flag("SHAREWISE_DEBUG")
HTTPS = _env_flag("SHAREWISE_HTTPS")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("SHAREWISE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "sharewise.web",
    "sharewise.agencies",
    "sharewise.people",
    "sharewise.consents",
    "sharewise.decisions",
    "sharewise.disclosures",
    "sharewise.requests",
    "sharewise.advice",
    "sharewise.protocols",
    "sharewise.followups",
    "sharewise.rights",
    "sharewise.reports",
    "sharewise.training",
    "sharewise.retention",
    "sharewise.audit",
    # Background jobs on the database: no broker to run (DESIGN.md, "Background work").
    "django_tasks",
    "django_tasks_db",
    # The JSON API; "ninja" is listed so that its Swagger UI is served from its own
    # static files rather than from a CDN.
    "ninja",
    "sharewise.api",
    # Accounts. Sharewise's app comes before allauth's so that its templates replace
    # allauth's (docs/decisions/0004-accounts-allauth-mfa.md).
    "sharewise.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise comes straight after SecurityMiddleware, as its documentation asks, so
    # static files get the security headers and skip the rest of the stack.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication and messages, which it uses: sends anyone whose role shows
    # them identifiable data to set up two-factor authentication before anything else.
    "sharewise.accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The Content-Security-Policy (CONTENT_SECURITY_POLICY below) and the
    # Permissions-Policy go on every response, error pages included.
    "csp.middleware.CSPMiddleware",
    "sharewise.web.security.PermissionsPolicyMiddleware",
    # No copy of a page or an answer that may hold personal data is kept by a browser or
    # a proxy; only the public guidance pages may be.
    "sharewise.web.security.CacheControlMiddleware",
    # Refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE with 413, and text holding NUL.
    # Last, so that its answers pass back through all the others and get their headers; it
    # still runs before anything reads the body (the CSRF check does, in the view phase
    # that follows every middleware's request phase).
    "sharewise.web.bad_input.BadInputMiddleware",
]

ROOT_URLCONF = "sharewise.urls"
WSGI_APPLICATION = "sharewise.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sharewise.accounts.context_processors.accounts",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
# A PostgreSQL connection is kept for a minute between requests rather than opened for
# each one, and checked at the start of each request, so that a restarted database server
# does not make the next request fail.
DATABASES = {
    "default": (
        dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
        if DATABASE_URL
        else _sqlite(DATA_DIR)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed file names let browsers cache the stylesheet for a year and
        # still see a new one the moment it changes. With DEBUG on, files are served as
        # they are edited, so there is nothing to hash.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "sharewise.web.storage.GzipManifestStaticFilesStorage"
        ),
    },
}

# Cookies never reach scripts and are not sent on cross-site sub-requests.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Scripts, styles, fonts and images come from this service only, and never inline: a
# script injected into a page (a name typed into a form, say) cannot run, and no page can
# be framed by another site or post its forms elsewhere
# (docs/decisions/0007-route-access-policies-and-csp.md). Images may also be data: URLs,
# which GOV.UK Frontend's stylesheet and the API's Swagger UI use for small icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features Sharewise never uses, turned off for every page, so that nothing
# running in a page can reach a practitioner's camera, microphone or whereabouts.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Browsers that have seen the service over HTTPS refuse plain HTTP to it for a year.
    # Not preloaded: that commits the whole domain, which is its owner's decision.
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The TLS proxy in front sets X-Forwarded-Proto and must strip it from what clients
    # send; without this Django would think every request came over plain HTTP and refuse
    # the Origin of every form posted over HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything is logged to stderr, for the process supervisor or container runtime to keep.
# Tracebacks go to the log, never to a user: with DEBUG off Django shows templates/500.html.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        # Named here so that Django's default handlers (one of them e-mails admins) are
        # replaced rather than added to.
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


# Accounts, sign-in and two-factor authentication, with django-allauth
# (docs/decisions/0004-accounts-allauth-mfa.md).


def _whole_number(name: str, default: int, unit: str) -> int:
    """A setting that must be a whole number of at least 1: refused at start-up, naming
    the variable and what it held, rather than read as something else."""
    raw = os.environ.get(name, "").strip() or str(default)
    value = int(raw) if raw.isdigit() else 0
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of {unit}, not {raw!r}")
    return value


def _session_minutes() -> int:
    return _whole_number("SHAREWISE_SESSION_MINUTES", 30, "minutes")


def _demo_mode() -> bool:
    if os.environ.get("SHAREWISE_DEMO", "").strip():
        demo = _env_flag("SHAREWISE_DEMO")
    else:
        # On by default only where Sharewise runs as it does on a laptop: SQLite, no TLS.
        demo = not DATABASE_URL and not HTTPS
    if demo and HTTPS:
        # Demo accounts share a published password and may skip two-factor authentication;
        # a service behind HTTPS is a live one, where that must never be possible.
        raise ImproperlyConfigured(
            "SHAREWISE_DEMO=on cannot be used with SHAREWISE_HTTPS=on: demo mode is never on "
            "in production settings"
        )
    return demo


SHAREWISE_DEMO = _demo_mode()
SHAREWISE_DEMO_PASSWORD = os.environ.get("SHAREWISE_DEMO_PASSWORD", "") or "demo-password-2026"

# A session ends after SHAREWISE_SESSION_MINUTES without a request (each request saves it
# again, moving the end along) and when the browser closes, so an unattended screen does not
# stay signed in to records about children. The guided decision saves a draft on every page,
# so an ended session loses nothing.
SHAREWISE_SESSION_MINUTES = _session_minutes()


def _max_body_bytes() -> int:
    return _whole_number("SHAREWISE_MAX_BODY_BYTES", 1024 * 1024, "bytes")


# A request body (a form or a JSON document) larger than this is refused with 413 before
# it is read (sharewise.web.bad_input). Nothing Sharewise takes comes near 1 MB; the
# limit keeps one request from filling a worker's memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = _max_body_bytes()
SESSION_COOKIE_AGE = SHAREWISE_SESSION_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Argon2id first: new passwords are hashed with it, and a password hashed with one of the
# others is re-hashed with it at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "sharewise.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
# Nobody signs up (AccountAdapter.is_open_for_signup), but allauth checks that these agree
# with the sign-in method.
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
# Accounts have no e-mail address: a partnership administrator resets passwords, so that
# nobody can take over an account through a mailbox.
ACCOUNT_EMAIL_VERIFICATION = "none"
# No "remember me": every session ends when the browser closes.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_FORMS = {
    "login": "sharewise.accounts.forms.SignInForm",
    "change_password": "sharewise.accounts.forms.PasswordChangeForm",
    "reauthenticate": "sharewise.accounts.forms.PasswordReauthenticateForm",
}
# Failed sign-ins are limited per address and per username: after 5 failures for one
# username in 5 minutes, that username cannot sign in until the 5 minutes are up
# (AccountAdapter says so in its message).
ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/5m/key"}
# Behind the TLS proxy every request comes from the proxy's address, so the client's is
# taken from the X-Forwarded-For entry the proxy adds; without this, a few failed sign-ins
# anywhere would lock everyone out.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if HTTPS else 0

MFA_ADAPTER = "sharewise.accounts.adapters.MFAAdapter"
# WebAuthn is left out for now: allauth's pages for it need inline scripts, which the
# Content-Security-Policy will not allow.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# A code typed in the last seconds of its 30-second window still counts.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "sharewise.accounts.forms.CodeAuthenticateForm",
    "reauthenticate": "sharewise.accounts.forms.CodeReauthenticateForm",
    "activate_totp": "sharewise.accounts.forms.TOTPActivateForm",
}

# The rate limits above and the record of used authenticator codes live in the cache, and
# must be shared by every worker process and app server, or each would count on its own.
# The database is the one thing they all share; the table is made by the accounts app's
# migrations.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sharewise_cache",
        # Culling drops entries at random, which would forget failed sign-ins; the
        # entries are small and expire within minutes.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}


def _reports_minimum_count() -> int:
    return _whole_number("SHAREWISE_REPORTS_MINIMUM_COUNT", 5, "records, at least 1")


# A count of one or two records of one agency in one month can point to a family, so an
# administrator's dashboards show counts below this as "Fewer than 5" and round the rest
# (reports/small_numbers.py, docs/reports.md).
SHAREWISE_REPORTS_MINIMUM_COUNT = _reports_minimum_count()

# The audit chain's head is signed with the server's key every so many entries (and on
# demand with `sharewise audit checkpoint`), so a rewrite of the whole chain is caught
# against an exported checkpoint. Small enough that little history is ever unsigned.
SHAREWISE_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("SHAREWISE_AUDIT_CHECKPOINT_EVERY", "1000"))


# Background jobs (reminders, reviews, sweeps) are stored in the database and run by
# `sharewise manage db_worker`; every job is an idempotent "find what is due" sweep, so
# running one twice, or late, does no harm.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

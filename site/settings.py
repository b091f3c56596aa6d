"""MedPath settings: one module, configured by the environment, safe for production by default.

With nothing set the site runs on SQLite, django-q2's ORM broker, the local-memory cache,
console email and the offline checkout. Development conveniences need `DEBUG=1`.
"""

import os
import secrets
import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from core.business import business_from_environ, business_problems, payments_are_live
from core.storage_config import private_storage_config, public_storage_config
from medpath.observability import init_error_reporting

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
# Fernet keys for secrets kept encrypted at rest (core/sealed.py), newest first; old keys stay
# listed until every value is resealed. Unset: one key derived from SECRET_KEY (development).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])


def development_secret_key(path: Path) -> str:
    """This checkout's own key, made on first use: a key published in the repository would let
    anyone forge the offline webhook's signature or a confirmation link on a demo site."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


if DEBUG:
    # Git-ignored; delete it to start afresh (sessions and confirmation links then lapse).
    SECRET_KEY = SECRET_KEY or development_secret_key(BASE_DIR / ".secret_key")
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG=1 for development).")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set (or DEBUG=1 for development).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base URL of the public site, used in emails, calendar invites and Stripe return URLs.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "MedPath"
# Each session's own video room is <MEETING_BASE_URL><room name> (booking.meetings): Jitsi Meet's
# public server by default, or your own Jitsi. Empty: only coaches' own fixed links are used.
MEETING_BASE_URL = env.str("MEETING_BASE_URL", default="https://meet.jit.si/")

INSTALLED_APPS = [
    "medpath",
    "medpath.accounts",
    "medpath.cms",
    "core",
    "coaching",
    "booking",
    "members",
    "webinars",
    "reviews",
    "practice",
    "payments",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "django_q",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: the request id and the one log line per request (site/observability.py).
    "medpath.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the request: NUL bytes and unparseable bodies are answered 400.
    "medpath.middleware.RejectBadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole public pages for anonymous visitors from the shared cache (site/page_cache.py),
    # before the session, CSRF and authentication work that a hit does not need.
    "medpath.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "medpath.accounts.middleware.UserTimezoneMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "medpath.middleware.ContentSecurityPolicyMiddleware",
    "medpath.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "medpath.urls"
WSGI_APPLICATION = "medpath.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "medpath.context_processors.sales_tax",
            ],
        },
    },
    {
        # Plain-text emails: the same templates without HTML escaping (O'Neil, not O&#x27;Neil).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: SQLite by default, anything dj-database-url understands via DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers instead of failing with "database is locked" under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    # runserver handles each request in a new thread, and a thread's persistent connection is
    # never reused or closed: one leaked PostgreSQL connection per request. So 0 there.
    RUNSERVER = sys.argv[1:2] == ["runserver"]
    DATABASES["default"].setdefault(
        "CONN_MAX_AGE", 0 if RUNSERVER else env.int("CONN_MAX_AGE", default=60)
    )
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and background tasks: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "medpath.cache.RedisCache",  # Django's, one client per server (site/cache.py)
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "medpath",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a whole public page stays in the cache for anonymous visitors (0 turns it off).
# Changes purge it at once; this only bounds the life of pages nobody changed.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# A page's main content for anonymous visitors, kept under the same content generation
# (site/templatetags/content_cache.py); 0 turns it off.
CONTENT_CACHE_SECONDS = env.int("CONTENT_CACHE_SECONDS", default=600)

Q_CLUSTER = {
    "name": "medpath",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "queue_limit": 50,
    "catch_up": False,
    # Successful tasks kept in the Task table: the last 20 of each group, so a one-minute job
    # cannot push a daily job's last run (or an email's) out of the admin's Background tasks.
    "save_limit": 20,
    "save_limit_per": "group",
    "label": "Background tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"
# The Wagtail admin has no login or password-reset form of its own: /admin/login/ hands over to
# allauth (medpath.accounts.views.admin_login), whose rate limits and email rule then apply.
WAGTAILADMIN_LOGIN_URL = "medpath_admin_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# No Gravatar fallback avatars in the admin: they would send editors' email hashes to a third
# party (and need an exception in the admin's Content Security Policy).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# django-allauth: email is the login, verification is mandatory, rate limits stay on (default).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MedPath] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Behind a load balancer REMOTE_ADDR is the balancer's: allauth's per-address limits would then
# lock everybody out together. Count the proxies you run (each appends to X-Forwarded-For), or
# name the header your proxy puts the client's address in; never trust what clients send.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
# Coaches land on /coach/ after logging in (an explicit, safe `next` still wins); links in
# allauth's emails (confirm, reset password) start with SITE_URL, not the request's host, and
# confirmation links keep the sign-up's `next` (the way back to the slot picker or a checkout).
ACCOUNT_ADAPTER = "medpath.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "medpath.accounts.forms.LoginForm",
    "signup": "medpath.accounts.forms.SignupForm",
    "add_email": "medpath.accounts.forms.AddEmailForm",
    "change_password": "medpath.accounts.forms.ChangePasswordForm",
    "set_password": "medpath.accounts.forms.SetPasswordForm",
    "reset_password": "medpath.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "medpath.accounts.forms.ResetPasswordKeyForm",
}

# Email: console by default; EMAIL_URL=smtp://user:pass@host:587/?tls=True for real mail.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MedPath <hello@medpath.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-ca"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Shown to visitors who are not logged in and have not chosen a zone.
MEDPATH_DEFAULT_TIME_ZONE = "America/Toronto"
# The Wagtail admin runs in each account's own zone (kept in its profile by
# medpath.accounts.admin_clock); an empty list hides Wagtail's own zone picker, so the zone
# is changed in one place, /accounts/profile/.
WAGTAIL_USER_TIME_ZONES: list[str] = []

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Private files (review documents, recordings, e-books) live outside MEDIA_ROOT and have no
# URL: they leave only through core.files.protected_download, after the view's own checks.
PRIVATE_STORAGE_ROOT = env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "private"))
for _public_root in (MEDIA_ROOT, STATIC_ROOT):
    if Path(PRIVATE_STORAGE_ROOT).resolve().is_relative_to(Path(_public_root).resolve()):
        raise ImproperlyConfigured(
            "PRIVATE_STORAGE_ROOT must be outside MEDIA_ROOT and STATIC_ROOT, "
            "which are served publicly."
        )
# Without a bucket, uploaded images (coach portraits, page images) are served from MEDIA_ROOT
# by Django itself when SERVE_MEDIA is on (bin/prod turns it on for the one-machine set-up;
# runserver serves them with DEBUG). Behind a load balancer use the bucket instead.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
STORAGES = {
    # MEDIA_ROOT, or a public-read S3-compatible bucket when MEDIA_STORAGE_BUCKET is set.
    "default": public_storage_config(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # A local folder, or S3-compatible storage when PRIVATE_STORAGE_BUCKET is set.
    "private": private_storage_config(os.environ, local_root=PRIVATE_STORAGE_ROOT),
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "mp4", "webm"]
# Documents live in the private storage and every download goes through Wagtail's view, where
# members' before_serve_document hook checks the perk of a gated collection.
WAGTAILDOCS_DOCUMENT_MODEL = "cms.MedPathDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# Security: strict unless DEBUG; TLS settings opt-in because TLS usually ends at the proxy.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
# Nothing of ours is framed; Wagtail's preview views override this with SAMEORIGIN themselves.
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL = env.bool("SECURE_PROXY_SSL", default=False)
if SECURE_PROXY_SSL:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a TLS-terminating proxy that says which scheme the visitor used, Django can redirect
# plain HTTP itself; the load balancer's health checks come over HTTP and stay answered.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_PROXY_SSL and not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
# A site that redirects to HTTPS tells browsers to never try HTTP again (a year by default).
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if SECURE_SSL_REDIRECT else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)

# Content Security Policy (django-csp, through medpath.middleware). No nonces: pages may be
# cached whole for anonymous visitors, so our scripts are static files and nothing is inline.
# media-src allows the site's own audio/video and blob: for recordings made in the browser.
# Stripe Checkout is reached by a redirect after a form post, which form-action governs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https://checkout.stripe.com"],
    },
}
# The Wagtail and Django admins render inline scripts and styles, and Wagtail frames its own
# page previews: they get a looser policy (docs/security.md says why that is acceptable).
MEDPATH_ADMIN_CSP = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "media-src": [SELF, "blob:"],
    "connect-src": [SELF, "https://releases.wagtail.org"],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],
    "form-action": [SELF],
}

# Logs go to stdout, one line each; every line carries the id of the request it belongs to
# ("-" outside a request), the same id the response's X-Request-ID header shows.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "medpath.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s request_id=%(request_id)s"
        },
        "request": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
        "requests": {"class": "logging.StreamHandler", "formatter": "request"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request log line already names its request id; one handler, no repeat.
        "medpath.request": {
            "handlers": ["requests"],
            "level": env.str("REQUEST_LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
        # Wagtail's in-process search and reference-index tasks log every run at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}

# Error reporting: Sentry (with its Django integration, no personal data) when SENTRY_DSN is set.
SENTRY_ENABLED = init_error_reporting(env)

# --- payments (Stripe) ---------------------------------------------------------------------
# No STRIPE_SECRET_KEY: the offline checkout stands in for Stripe (a local, clearly marked test
# payment page whose events are signed with a secret derived from SECRET_KEY).
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")  # tests point this at a fake Stripe
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# none | rate (a Stripe Tax Rate, e.g. Ontario HST 13%) | automatic (Stripe Tax)
STRIPE_TAX_MODE = env.str("STRIPE_TAX_MODE", default="none")
STRIPE_TAX_RATE_ID = env.str("STRIPE_TAX_RATE_ID", default="")
# The rate's percentage, for the estimate shown before Stripe reports the real tax.
STRIPE_TAX_RATE_PERCENT = env.str("STRIPE_TAX_RATE_PERCENT", default="13")
# The rate's name as buyers read it ("+ HST" on prices, "HST (13%)" on the checkout).
STRIPE_TAX_RATE_NAME = env.str("STRIPE_TAX_RATE_NAME", default="HST")
# Checkout Sessions (and the slot holds that wait for them) last this long; Stripe's minimum is 30.
PAYMENTS_CHECKOUT_MINUTES = env.int("PAYMENTS_CHECKOUT_MINUTES", default=30)
if STRIPE_TAX_MODE not in {"none", "rate", "automatic"}:
    raise ImproperlyConfigured("STRIPE_TAX_MODE must be none, rate or automatic.")
if STRIPE_SECRET_KEY and not STRIPE_WEBHOOK_SECRET:
    raise ImproperlyConfigured(
        "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: webhooks could not be verified."
    )
# Without keys anyone could "pay" on the offline page, so production (DEBUG off) refuses to start
# unless the site is explicitly a demo where nothing is really sold.
ALLOW_OFFLINE_CHECKOUT = env.bool("ALLOW_OFFLINE_CHECKOUT", default=DEBUG)
if not STRIPE_SECRET_KEY and not ALLOW_OFFLINE_CHECKOUT:
    raise ImproperlyConfigured(
        "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take payments "
        "(or ALLOW_OFFLINE_CHECKOUT=1 for a demo site where nothing is really sold)."
    )
if STRIPE_SECRET_KEY and STRIPE_TAX_MODE == "rate" and not STRIPE_TAX_RATE_ID:
    raise ImproperlyConfigured("STRIPE_TAX_MODE=rate needs STRIPE_TAX_RATE_ID (a txr_… id).")

# --- the business on receipts (core/business.py) ---------------------------------------------
# BUSINESS_NAME, BUSINESS_ADDRESS (lines separated by ";"), BUSINESS_TAX_NUMBER (GST/HST,
# "123456789 RT0001"), BUSINESS_EMAIL. Unset, the demo's invented details are used and receipts
# say so. With live Stripe keys real receipts are issued, so the demo's details refuse to start.
try:
    BUSINESS = business_from_environ(os.environ)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
_business_missing = business_problems(
    BUSINESS, live=payments_are_live(STRIPE_SECRET_KEY), taxed=STRIPE_TAX_MODE != "none"
)
if _business_missing:
    raise ImproperlyConfigured(
        "Live Stripe keys issue real receipts: set " + ", ".join(_business_missing) + "."
    )

# --- practice tests (practice/) ----------------------------------------------------------------
# The server is the clock: an answer arriving this long after a scenario's deadline still counts
# (the browser's last save races the deadline); later ones are refused.
PRACTICE_GRACE_SECONDS = env.int("PRACTICE_GRACE_SECONDS", default=5)
# A recording may finish uploading this long after its station's deadline (15 MB on a slow line).
PRACTICE_UPLOAD_GRACE_SECONDS = env.int("PRACTICE_UPLOAD_GRACE_SECONDS", default=60)
# A video answer is sent in parts as it records: the first part must arrive while its question
# is open; the rest of a take begun in time may arrive this long after (slow uplinks abroad).
PRACTICE_PART_GRACE_SECONDS = env.int("PRACTICE_PART_GRACE_SECONDS", default=15 * 60)
# Fair use of "unlimited" practice: attempts a member may start per calendar month (UTC).
PRACTICE_MONTHLY_ATTEMPTS = env.int("PRACTICE_MONTHLY_ATTEMPTS", default=8)
PRACTICE_RECORDING_MAX_BYTES = 15 * 1024 * 1024
PRACTICE_RECORDING_RETENTION_DAYS = 180
# The shortest time limit an editor may give a scenario (test settings allow short timers).
PRACTICE_MIN_SECONDS = 30
# Coaches return a practice attempt's scores within this many working days of its submission.
PRACTICE_SCORING_DAYS = env.int("PRACTICE_SCORING_DAYS", default=3)

# The largest request body anything accepts (a document review's five 10 MB files and the form
# around them); larger ones get a 413 before a byte is read (site/middleware.py).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=56 * 1024 * 1024)

# --- document reviews -----------------------------------------------------------------------
# Uploaded and returned files are deleted this many days after a review closes (the record stays).
REVIEW_FILE_RETENTION_DAYS = env.int("REVIEW_FILE_RETENTION_DAYS", default=180)

"""Cairn's one settings module. Every deploy-specific value comes from an environment variable."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from cairn.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

DEBUG = env_bool("DEBUG", False)
# Unset, the key is a development one that `cairn check --deploy` rejects (security.W009).
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-cairn-development-key-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text search on PostgreSQL (cairn/search); harmless on SQLite.
    "django.contrib.postgres",
    "django_htmx",
    "ninja",
    # Before allauth, so cairn/people/templates/{account,mfa,socialaccount,allauth} override
    # allauth's own templates.
    "cairn.people",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_tasks_db",
    "cairn.ledger",
    "cairn.learning",
    "cairn.communities",
    "cairn.exchange",
    "cairn.commitments",
    "cairn.notifications",
    "cairn.privileges",
    "cairn.safeguards",
    "cairn.insights",
    "cairn.disputes",
    "cairn.moderation",
    "cairn.calendars",
    "cairn.journey",
    "cairn.xapi",
    "cairn.webhooks",
    "cairn.privacy",
    "cairn.audit",
    "cairn.search",
    "cairn.web",
    "cairn.api",
    "cairn.trust",
    "cairn.matching",
    "cairn.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names and compression, straight from the WSGI server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "cairn.web.middleware.ResponseHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cairn.web.middleware.ControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cairn.people.middleware.OrganisationMiddleware",
    "cairn.people.middleware.TimeZoneMiddleware",
    "cairn.audit.log.RememberRequestMiddleware",
    "cairn.api.idempotency.IdempotencyMiddleware",
    "cairn.web.middleware.StyledNotFoundMiddleware",
    "cairn.web.middleware.SharedCacheDownMiddleware",
]

ROOT_URLCONF = "cairn.urls"
WSGI_APPLICATION = "cairn.wsgi.application"
ASGI_APPLICATION = "cairn.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cairn.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'cairn.sqlite3'}"),
        # Connections are kept for ten minutes and reused by the next request of the same
        # thread: opening one costs PostgreSQL a new backend, which then reads its catalog afresh
        # for every table a page touches and plans again every statement the old one had
        # prepared (a few hundred). Checked before reuse, so a restarted server is survived.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Requests run short queries, and PostgreSQL's JIT compiler spends seconds compiling any
    # plan estimated dearer than jit_above_cost: on Meridian, once analysed, the home page's
    # relationship lists took 4 s of compiling for 13 ms of work. Off for Cairn's connections.
    # So are parallel workers (DATABASE_PARALLEL_WORKERS, default 0, sets how many one query
    # may start): starting them costs more CPU than a request's query saves, and they steal the
    # cores other requests are waiting for. A search for a common word started two to scan
    # 57,000 rows in 24 ms where, without, the primary key found its 300 in 2.7 ms.
    postgresql_options = DATABASES["default"].setdefault("OPTIONS", {})
    parallel_workers = env_int("DATABASE_PARALLEL_WORKERS", 0)
    postgresql_options.setdefault(
        "options", f"-c jit=off -c max_parallel_workers_per_gather={parallel_workers}"
    )
    # Parameters are bound on the server and a statement is prepared the second time a
    # connection runs it, so PostgreSQL plans each of a page's queries once per connection
    # instead of on every request: planning the visibility rules' subqueries cost it more than
    # running them (the home page: 19 ms of its CPU a request, 7.5 ms prepared). Off with
    # DATABASE_PREPARED_STATEMENTS=0, for a pooler that cannot keep them (pgbouncer before
    # 1.21, or without max_prepared_statements, in transaction mode).
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        postgresql_options.setdefault("server_side_binding", True)
        postgresql_options.setdefault("prepare_threshold", 1)
# The API's lists: at most 100 items a page (cairn/api/pagination.py).
NINJA_PAGINATION_CLASS = "cairn.api.pagination.BoundedPagination"
NINJA_PAGINATION_MAX_LIMIT = 100
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "cairn.people.backends.PasswordBackend",
    "cairn.people.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email is the identity; sign-up only by invitation or an organisation's domain.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_ADAPTER = "cairn.people.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "cairn.people.forms.SignupExtraForm"
SOCIALACCOUNT_ADAPTER = "cairn.people.adapters.SocialAccountAdapter"
# Failed sign-ins are limited tightly per account (the key is the email address) and loosely
# per address, so that one person behind an office's shared proxy cannot lock out the office.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "60/5m/ip,5/5m/key",
    "login": "120/m/ip",
    "signup": "20/m/ip",
    # Starting an organisation (cairn.people.views.start_organisation).
    "start_organisation": "5/h/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a reverse proxy, the number of proxies in front of Cairn, so that rate limits count
# each client's own address and not the proxy's (0 when Cairn faces clients directly).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cairn] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cairn"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if env_str("CACHE_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL", ""),
            # A cache that does not answer is given up on within a second, not waited for.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Every request reads its session; with a cache all web processes share, it is read from
    # there first and the database only when the cache misses or fails (it is still written to
    # both, so a flushed or unreachable cache costs a query, not a sign-out; see
    # cairn.people.sessions). Without one, sessions stay in the database alone: a per-process
    # memory cache would keep serving a session that another process had signed out.
    SESSION_ENGINE = "cairn.people.sessions"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}


def _mailers(url: str) -> dict[str, dict[str, object]]:
    """Return MAILERS for an EMAIL_URL: console://, locmem://, dummy:// or
    smtp://user:password@host:587/?tls=1."""
    from urllib.parse import parse_qs, unquote, urlparse

    parsed = urlparse(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL={url!r}: scheme must be one of {', '.join(sorted(backends))}."
        )
    mailer: dict[str, object] = {"BACKEND": backends[parsed.scheme]}
    if parsed.scheme == "smtp":
        query = parse_qs(parsed.query)
        mailer["OPTIONS"] = {
            "host": parsed.hostname or "localhost",
            "port": parsed.port or 25,
            "username": unquote(parsed.username or ""),
            "password": unquote(parsed.password or ""),
            "use_tls": query.get("tls", ["0"])[0] in {"1", "true"},
        }
    return {"default": mailer}


# Development prints email to the console; production sends it through SMTP.
MAILERS = _mailers(env_str("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cairn <cairn@localhost>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
# In development WhiteNoise reads the apps' static folders directly (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production ``cairn collectstatic`` writes hashed, compressed copies that WhiteNoise
    # serves with far-future caching; development serves the sources as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# X-Forwarded-Proto is believed only when a proxy is said to be in front; otherwise any client
# could claim its plain-HTTP request was HTTPS.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if ALLAUTH_TRUSTED_PROXY_COUNT > 0 else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere (htmx's indicator styles are in cairn.css instead).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
SESSION_COOKIE_HTTPONLY = True

# How long a mentoring request waits before it expires (learning), and other product knobs.
CAIRN_REQUEST_EXPIRY_DAYS = env_int("CAIRN_REQUEST_EXPIRY_DAYS", 14)
CAIRN_COMMITMENT_GRACE_DAYS = env_int("CAIRN_COMMITMENT_GRACE_DAYS", 3)
# Webhooks and learning record stores may call private or loopback addresses only when the
# operator says so (tests, or an LRS inside the same private network).
CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS = env_bool("CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS", False)
# How long a webhook or chat channel has to answer one delivery.
CAIRN_WEBHOOK_TIMEOUT_SECONDS = env_int("CAIRN_WEBHOOK_TIMEOUT_SECONDS", 10)
# The health check calls the task worker late when a runnable task has waited this long.
CAIRN_WORKER_LATE_SECONDS = env_int("CAIRN_WORKER_LATE_SECONDS", 300)
# How long the audit log keeps an entry; `cairn periodic` prunes older ones.
CAIRN_AUDIT_RETENTION_DAYS = env_int("CAIRN_AUDIT_RETENTION_DAYS", 365)
# A web process that holds an organisation's recommendation index reads a newer one on a
# thread while requests go on with the one it has (off in tests: a thread has its own
# connection and would not see a test's rows).
CAIRN_MATCHING_RELOAD_IN_BACKGROUND = env_bool("CAIRN_MATCHING_RELOAD_IN_BACKGROUND", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

"""ProAlto assistant settings: everything comes from the environment.

With nothing set, the project runs on an embedded default (SQLite, local files, a
file-system Celery broker and the built-in Cloud API stand-in). Production sets the
variables documented in the README; nothing else changes.
"""

import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from proalto.logs import logging_config, sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PROALTO_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def envfloat(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envadmins(name: str) -> list[tuple[str, str]]:
    """ "Name <mail@x>, other@y" as Django's ADMINS; a malformed entry stops the start."""
    admins = []
    for item in envlist(name, ""):
        display, address = parseaddr(item)
        if "@" not in address or " " in address:
            raise ImproperlyConfigured(f'{name}: {item!r} is not an e-mail address ("Name <mail@example.com>")')
        admins.append((display or address, address))
    return admins


# Off unless asked for: a deployment that forgets the variable must not run with DEBUG, the
# public development key or the sandbox. `make run` and the test suite ask for it.
DEBUG = envbool("DJANGO_DEBUG", False)
# Public, hence only ever used with DEBUG on; `check --deploy` flags it (proalto/checks.py).
DEV_SECRET_KEY = "dev-only-insecure-key-never-used-in-production-" + "x" * 20
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off "
            "(on a laptop, DJANGO_DEBUG=true gives the embedded default, as `make run` does)"
        )
    SECRET_KEY = DEV_SECRET_KEY
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Public root of this service, used in links the bot sends (verification page, PTI).
SITE_URL = env("PROALTO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "proalto.apps.ProAltoConfig",  # the deployment checks (proalto/checks.py)
    "escalations.apps.ProAltoAdminConfig",  # django.contrib.admin with ProAlto's OTP site
    "django.contrib.auth",
    "axes",  # staff login throttling (escalations/login.py)
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "conversations",
    "conversations.dev.apps.DevConfig",  # stand-in, sandbox, runbot, screenshots (URLs only with the sandbox)
    "credits",
    "documents",
    "consent",
    "escalations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "escalations.middleware.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused or locked by axes into the login page saying so.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses to check credentials while the username or the address is locked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

if not DEBUG:
    # Serves the admin's static files (`manage.py collectstatic`) from gunicorn; with DEBUG on
    # Django's staticfiles views do it (proalto/urls.py).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "proalto.urls"
WSGI_APPLICATION = "proalto.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",  # {{ CSP_NONCE }} on the pages' own <script> and <style>
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web and the worker share one SQLite file: wait on locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Embedded default: the database folder must exist before the first connection.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif envbool("DATABASE_PREPARED_STATEMENTS", True):
    # Parameters bound by the server, and each statement prepared (parsed and planned once
    # per connection) after its 5th run: the same few statements run for every message.
    # Not behind a transaction-mode pooler without prepared-statement support (PgBouncer < 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- ProAlto's core system (issue 12): where customers, credits and applications are read ------
# "local": the bot's own tables, filled by `import_clients FILE` and `sync_portfolio`;
# "core": live reads of the `proalto_bot` relations in ProAlto's database (README, "The core").
PORTFOLIO_SOURCE = env("PORTFOLIO_SOURCE", "local")
if PORTFOLIO_SOURCE not in ("local", "core"):
    raise ImproperlyConfigured(f"PORTFOLIO_SOURCE must be 'local' or 'core', got {PORTFOLIO_SOURCE!r}")
CORE_DATABASE_URL = env("CORE_DATABASE_URL")
if PORTFOLIO_SOURCE == "core" and not CORE_DATABASE_URL:
    raise ImproperlyConfigured("PORTFOLIO_SOURCE=core needs CORE_DATABASE_URL")
# Every statement on the core runs in a read-only transaction with this timeout.
CORE_STATEMENT_TIMEOUT_MS = envint("CORE_STATEMENT_TIMEOUT_MS", 2000)
if CORE_DATABASE_URL:
    # TLS options (sslmode=verify-full, sslrootcert=...) come from the URL's query string.
    DATABASES["core"] = dj_database_url.parse(CORE_DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    DATABASES["core"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", max(1, -(-CORE_STATEMENT_TIMEOUT_MS // 1000))
    )
    # Never created, flushed or migrated by Django (tests included): it is ProAlto's database.
    DATABASES["core"]["TEST"] = {"MIRROR": "core"}
DATABASE_ROUTERS = ["credits.core.CoreRouter"]
# Circuit breaker: after this many failures in a row the core is not asked for this long.
CORE_BREAKER_FAILURES = envint("CORE_BREAKER_FAILURES", 3)
CORE_BREAKER_SECONDS = envint("CORE_BREAKER_SECONDS", 30)
# How often beat pulls what changed in the core into the local copy (needs CORE_DATABASE_URL).
PORTFOLIO_SYNC_SECONDS = envint("PORTFOLIO_SYNC_SECONDS", 300)
# A paz y salvo is issued from the local copy only when its cut-off is at most this old.
PAZ_Y_SALVO_MAX_AGE_HOURS = envint("PAZ_Y_SALVO_MAX_AGE_HOURS", 24)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es-co"
TIME_ZONE = "America/Bogota"
USE_I18N = True
USE_TZ = True
# Staff screens write dates and times as the bot does: "30 de noviembre de 2026, 3:45 p. m."
# (lowercase month names and "p. m." from locale/es_CO, formats from proalto/formats/es_CO).
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["proalto.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

# --- Redis: Celery broker, cache and locks in production -----------------------------
REDIS_URL = env("REDIS_URL")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "proalto.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery --------------------------------------------------------------------------
# Without Redis the broker is a folder on disk: the web and the worker remain separate
# processes, exactly as in production, with no server to install.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than the longest task, so a task whose worker died is re-delivered,
        # but not while a healthy worker is still running it.
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 600),
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        # Publishing from a webhook fails at once when Redis is down (kombu would otherwise
        # retry for ~2 s); the stored message is enqueued later by the sweep.
        "max_retries": 0,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    # Kombu's file-system transport expects its folders to exist (web and worker both use them).
    for _folder in ("queue", "control", "processed"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Publishing must never hang a webhook request when the broker is down: the stored
# message is the source of truth and the sweep below picks it up.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = False
# Task modules outside the apps' own tasks.py (which autodiscovery finds).
CELERY_IMPORTS = ["conversations.messaging.tasks", "conversations.bot.tasks"]

# --- Storage -------------------------------------------------------------------------
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": envint("DOCUMENT_URL_EXPIRY_SECONDS", 300),
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": env("AWS_S3_SSE", "AES256")},
            # Signature V4 signed URLs (AWS refuses V2 in newer regions; V4 carries X-Amz-Expires).
            "signature_version": "s3v4",
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/media-not-served/"},
    }
STORAGES = {
    "default": _private_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- WhatsApp Cloud API ----------------------------------------------------------------
# With no access token the client talks to the built-in stand-in mounted at /sandbox/graph.
WHATSAPP_ACCESS_TOKEN = env("WHATSAPP_ACCESS_TOKEN")
# The sandbox's pages are public and sign webhooks for whoever opens them: on by itself only
# next to DEBUG with no real token; with DEBUG off only when PROALTO_SANDBOX=true says so.
SANDBOX_ENABLED = envbool("PROALTO_SANDBOX", DEBUG and not WHATSAPP_ACCESS_TOKEN)
SANDBOX_ACCESS_TOKEN = "sandbox-access-token"
SANDBOX_APP_SECRET = "sandbox-app-secret"
WHATSAPP_API_BASE_URL = env(
    "WHATSAPP_API_BASE_URL",
    "https://graph.facebook.com" if WHATSAPP_ACCESS_TOKEN else f"{SITE_URL}/sandbox/graph",
).rstrip("/")
# Graph API version: each is retired two years after its release (v21.0 on 21 January 2027);
# `check --deploy` warns 60 days before the configured one expires.
WHATSAPP_API_VERSION = env("WHATSAPP_API_VERSION", "v25.0")
WHATSAPP_PHONE_NUMBER_ID = env("WHATSAPP_PHONE_NUMBER_ID", "100000000000001")
# The WhatsApp Business Account (WABA) id: its templates and subscription (manage.py
# whatsapp_templates, whatsapp_check).
WHATSAPP_BUSINESS_ACCOUNT_ID = env("WHATSAPP_BUSINESS_ACCOUNT_ID")
WHATSAPP_APP_SECRET = env("WHATSAPP_APP_SECRET")
WHATSAPP_VERIFY_TOKEN = env("WHATSAPP_VERIFY_TOKEN")
if SANDBOX_ENABLED:
    # Sandbox-only values so the sandbox can sign webhooks; never used with real Meta.
    WHATSAPP_ACCESS_TOKEN = WHATSAPP_ACCESS_TOKEN or SANDBOX_ACCESS_TOKEN
    WHATSAPP_APP_SECRET = WHATSAPP_APP_SECRET or SANDBOX_APP_SECRET
    WHATSAPP_VERIFY_TOKEN = WHATSAPP_VERIFY_TOKEN or "sandbox-verify-token"
    WHATSAPP_BUSINESS_ACCOUNT_ID = WHATSAPP_BUSINESS_ACCOUNT_ID or "200000000000001"
elif not (WHATSAPP_ACCESS_TOKEN and WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN):
    # Without the sandbox there is nothing to fall back on: refuse to start half-configured.
    raise ImproperlyConfigured(
        "WHATSAPP_ACCESS_TOKEN, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN are required without the sandbox "
        "(DJANGO_DEBUG=true with no token gives the sandbox on a laptop)"
    )
WHATSAPP_TIMEOUT_SECONDS = envint("WHATSAPP_TIMEOUT_SECONDS", 10)
# Retries inside one call, for reads only (media downloads): a send is never retried in the
# worker, the outbox tries it again later with a Celery countdown.
WHATSAPP_MAX_RETRIES = envint("WHATSAPP_MAX_RETRIES", 2)
# Base of the exponential backoff (with full jitter) between those retries, capped at 2 s.
WHATSAPP_RETRY_BACKOFF_SECONDS = envfloat("WHATSAPP_RETRY_BACKOFF_SECONDS", 0.5)
# The circuit breaker per phone number id (conversations/messaging/breaker.py): while Meta
# throttles the number (130429) or refuses the token (190), sends are held, then tried again by
# one probe after a cool-down that doubles from the first value to the second.
WHATSAPP_CIRCUIT_COOLDOWN_SECONDS = envfloat("WHATSAPP_CIRCUIT_COOLDOWN_SECONDS", 1)
WHATSAPP_CIRCUIT_MAX_COOLDOWN_SECONDS = envfloat("WHATSAPP_CIRCUIT_MAX_COOLDOWN_SECONDS", 30)
# A customer's replies refused with Meta's pair rate limit (131056) wait this long, at least.
WHATSAPP_PAIR_RATE_RETRY_SECONDS = envfloat("WHATSAPP_PAIR_RATE_RETRY_SECONDS", 6)
# The operators' e-mail about a rejected token is sent once in this period, not per message.
WHATSAPP_TOKEN_ALERT_PERIOD_SECONDS = envint("WHATSAPP_TOKEN_ALERT_PERIOD_SECONDS", 3600)
WHATSAPP_OTP_TEMPLATE = env("WHATSAPP_OTP_TEMPLATE", "proalto_codigo_verificacion")
WHATSAPP_REENGAGEMENT_TEMPLATE = env("WHATSAPP_REENGAGEMENT_TEMPLATE", "proalto_retomar_conversacion")
WHATSAPP_NOTIFY_TEMPLATE = env("WHATSAPP_NOTIFY_TEMPLATE", "proalto_estado_solicitud")
# Approved utility template with Meta's REQUEST_CONTACT_INFO button: a customer who writes with
# a username only may share their number with it (identity validation).
WHATSAPP_SHARE_NUMBER_TEMPLATE = env("WHATSAPP_SHARE_NUMBER_TEMPLATE", "proalto_compartir_numero")
# Approved utility template telling the owner of a registered phone that another chat asked for
# a code to validate as them ({{1}}: that chat, masked; {{2}}: the time).
WHATSAPP_OTP_NOTICE_TEMPLATE = env("WHATSAPP_OTP_NOTICE_TEMPLATE", "proalto_aviso_codigo")
WHATSAPP_TEMPLATE_LANGUAGE = env("WHATSAPP_TEMPLATE_LANGUAGE", "es")
# Largest webhook body accepted; Meta's batches are far smaller.
WEBHOOK_MAX_BODY_BYTES = envint("WEBHOOK_MAX_BODY_BYTES", 1024 * 1024)

# --- Conversation ------------------------------------------------------------------------
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
# How long a validated identity lasts without activity before the bot asks again.
IDENTITY_SESSION_MINUTES = envint("IDENTITY_SESSION_MINUTES", 10)
MESSAGE_MAX_ATTEMPTS = envint("MESSAGE_MAX_ATTEMPTS", 5)
INTENT_BACKEND = env("INTENT_BACKEND", "llm" if env("OPENAI_API_KEY") else "local")
OPENAI_API_KEY = env("OPENAI_API_KEY")
OPENAI_BASE_URL = env("OPENAI_BASE_URL", "https://api.openai.com/v1")
OPENAI_MODEL = env("OPENAI_MODEL", "gpt-4o-mini")
OPENAI_TIMEOUT_SECONDS = envfloat("OPENAI_TIMEOUT_SECONDS", 4)

# --- Documents ---------------------------------------------------------------------------
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Largest image (width x height) a customer may send: refused from its header, before decoding.
DOCUMENT_MAX_PIXELS = envint("DOCUMENT_MAX_PIXELS", 40_000_000)
DOCUMENT_URL_EXPIRY_SECONDS = envint("DOCUMENT_URL_EXPIRY_SECONDS", 300)

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("STAFF_SESSION_SECONDS", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every page: the admin, the sandbox, /verificar/.
# Scripts and <style> elements only from this origin or carrying the response's nonce, so an
# injected <script> or inline handler never runs; no plugins, no <base>, no framing, forms post
# here only. Style *attributes* stay allowed (style-src-attr): they cannot run code or read the
# page, and the admin (Django's and ours) sets widths and colours with them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The webhook is the only path Meta calls; it must not be redirected. (/healthz, /readyz and
    # /metrics are answered before the redirect: proalto.health.OperatorEndpointsMiddleware.)
    SECURE_REDIRECT_EXEMPT = [r"^webhooks/"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# --- Operations: logs, health, metrics, error reports (README "Production") ------------------
# One JSON object per line in production, plain text with DEBUG; every line carries the
# correlation id of the message it belongs to (proalto/logs.py).
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, got {LOG_FORMAT!r}")
LOGGING = logging_config(json_lines=LOG_FORMAT == "json", level=env("LOG_LEVEL", "INFO"))
# /healthz, /readyz and /metrics are answered before the host check and the HTTPS redirect
# (proalto/health.py); the request id of every other request is set right after.
MIDDLEWARE.insert(0, "proalto.health.OperatorEndpointsMiddleware")
MIDDLEWARE.insert(1, "proalto.logs.CorrelationMiddleware")
# Seconds a readiness result is kept (the storage check, which writes a file: twelve times this).
READINESS_CACHE_SECONDS = envfloat("READINESS_CACHE_SECONDS", 5)
# Bearer token Prometheus sends to /metrics; empty: /metrics is open (protect it by a network rule).
METRICS_TOKEN = env("METRICS_TOKEN")
# Other processes' multiprocess metric directories on this machine (the Celery worker's), added
# to this process's PROMETHEUS_MULTIPROC_DIR on /metrics.
METRICS_DIRS = envlist("METRICS_DIRS", "")
# Seconds the gauges read from the database (queues, tickets, deadlines) are kept per process.
METRICS_GAUGES_CACHE_SECONDS = envfloat("METRICS_GAUGES_CACHE_SECONDS", 10)
# Data-rights requests due within this many days count as "due soon" (metrics and alerts).
DATA_RIGHTS_DUE_SOON_DAYS = envint("DATA_RIGHTS_DUE_SOON_DAYS", 3)
# Where and how often the Celery worker and beat touch their heartbeat files (manage.py celery_alive).
HEARTBEAT_DIR = Path(env("HEARTBEAT_DIR", str(VAR_DIR / "run")))
HEARTBEAT_SECONDS = envint("HEARTBEAT_SECONDS", 10)
CELERY_BEAT_SCHEDULER = "proalto.celery:HeartbeatScheduler"
# Optional Sentry: errors with personal data scrubbed before they leave (proalto.logs.sentry_before_send).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    sentry_init(dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", "production"), release=env("SENTRY_RELEASE"))

# --- Internal API /api/v1/ (issue 13; conversations/api, README "Internal API") -------------
# Keys hashed by djangorestframework-api-key; schema and offline docs by drf-spectacular(+sidecar).
INSTALLED_APPS += ["rest_framework_api_key", "drf_spectacular", "drf_spectacular_sidecar", "conversations.api"]
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "drf_spectacular.openapi.AutoSchema"
API_RATE = env("API_RATE", "600/min")  # per client key, unless the key sets its own
_api_rate_count, _, _api_rate_period = API_RATE.partition("/")
if not (
    _api_rate_count.isdigit()
    and int(_api_rate_count) > 0
    and _api_rate_period in ("s", "sec", "m", "min", "h", "hour", "d", "day")
):
    raise ImproperlyConfigured(f"API_RATE must be like 600/min, 10/s, 1000/h or 10000/d, got {API_RATE!r}")
API_LINK_EXPIRY_SECONDS = envint("API_LINK_EXPIRY_SECONDS", 300)  # signed document links
CRM_WEBHOOK_URL = env("CRM_WEBHOOK_URL")  # each new lead is POSTed there, signed
CRM_WEBHOOK_SECRET = env("CRM_WEBHOOK_SECRET")  # HMAC-SHA256 key the CRM verifies; required with the URL
if CRM_WEBHOOK_URL and not CRM_WEBHOOK_SECRET:
    raise ImproperlyConfigured("CRM_WEBHOOK_URL needs CRM_WEBHOOK_SECRET (the key its signature is made with)")
CRM_WEBHOOK_MAX_ATTEMPTS = envint("CRM_WEBHOOK_MAX_ATTEMPTS", 8)
CRM_WEBHOOK_TIMEOUT_SECONDS = envfloat("CRM_WEBHOOK_TIMEOUT_SECONDS", 10)
# Beat's sweep of CRM deliveries whose task was lost (broker down): how often it runs, and how
# long past its due time a pending delivery must be before it is re-queued.
CRM_WEBHOOK_SWEEP_SECONDS = envint("CRM_WEBHOOK_SWEEP_SECONDS", 60)
SPECTACULAR_SETTINGS = {
    "TITLE": "ProAlto: API interna",
    "DESCRIPTION": "Consultas (ManyChat External Request), eventos de ProAlto y solicitudes para el CRM.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "PREPROCESSING_HOOKS": ["conversations.api.schema.only_the_api"],
}

# --- Advisors ------------------------------------------------------------------------------
# Advisors' business hours, Colombia time ("HH:MM-HH:MM"; empty = closed). Holidays are closed.
ADVISOR_HOURS_WEEKDAY = env("ADVISOR_HOURS_WEEKDAY", "08:00-18:00")
ADVISOR_HOURS_SATURDAY = env("ADVISOR_HOURS_SATURDAY", "08:00-12:00")

# --- Identity validation, saldo and paz y salvo ------------------------------------------------
# Failed attempts (per WhatsApp user and per cédula) before a temporary lock.
IDENTITY_MAX_FAILURES = envint("IDENTITY_MAX_FAILURES", 3)
IDENTITY_LOCK_MINUTES = envint("IDENTITY_LOCK_MINUTES", 15)
# Failures older than this are forgotten.
IDENTITY_FAILURE_WINDOW_MINUTES = envint("IDENTITY_FAILURE_WINDOW_MINUTES", 60)
# One-time codes sent to the registered mobile: lifetime, and how many per validation.
IDENTITY_OTP_SECONDS = envint("IDENTITY_OTP_SECONDS", 300)
IDENTITY_OTP_MAX_SENDS = envint("IDENTITY_OTP_MAX_SENDS", 3)
# One-time codes a day per customer and per asking chat (each validation may send up to
# IDENTITY_OTP_MAX_SENDS): an authentication template costs money and lands on the owner's phone.
IDENTITY_OTP_MAX_PER_DAY = envint("IDENTITY_OTP_MAX_PER_DAY", 5)
# Days the messages of someone who declined (or never answered) the authorisation are kept.
UNCONSENTED_RETENTION_DAYS = envint("UNCONSENTED_RETENTION_DAYS", 30)
# Public paz y salvo verification page: lookups allowed per IP address per hour.
PAZ_Y_SALVO_VERIFY_PER_HOUR = envint("PAZ_Y_SALVO_VERIFY_PER_HOUR", 30)

# --- Credits: application-status notifications and renewals ---------------------------------
# Stage changes (re-import or admin) are notified to subscribed contacts right after commit;
# this sweep catches any a lost broker message left behind.
# Renewal eligibility (credits/eligibility.py): an active credit with at least this share
# of its installments paid (installments_paid / installments_total), and no credit in arrears.
RENEWAL_MIN_PAID_SHARE = envfloat("RENEWAL_MIN_PAID_SHARE", 0.5)
# Pre-approved renewal amount: min(RENEWAL_MAX_AMOUNT, disbursed_amount * RENEWAL_AMOUNT_FACTOR);
# the customer receives that amount minus the current balance ("monto adicional").
RENEWAL_AMOUNT_FACTOR = envfloat("RENEWAL_AMOUNT_FACTOR", 1.2)
RENEWAL_MAX_AMOUNT = envint("RENEWAL_MAX_AMOUNT", 60_000_000)
# Installment of the new amount: French amortisation (fixed installment) at this monthly
# rate over this many months: amount * r / (1 - (1 + r) ** -n).
RENEWAL_MONTHLY_RATE = envfloat("RENEWAL_MONTHLY_RATE", 0.018)
RENEWAL_TERM_MONTHS = envint("RENEWAL_TERM_MONTHS", 72)
# Desprendibles de pago the renewal asks for (the last two).
RENEWAL_DOCUMENTS_REQUIRED = envint("RENEWAL_DOCUMENTS_REQUIRED", 2)

# --- Habeas Data (consent and data-rights requests) -----------------------------------------
# Approved WhatsApp template for Habeas Data notices outside the 24-hour window; its body
# takes {{1}} = radicado and {{2}} = the notice, e.g. "Novedad sobre tu solicitud de datos
# personales {{1}}: {{2}}".
WHATSAPP_HABEAS_DATA_TEMPLATE = env("WHATSAPP_HABEAS_DATA_TEMPLATE", "proalto_habeas_data")
# Reclamos waiting two months for missing information are deemed withdrawn (Ley 1581 art. 15).

# --- Metrics dashboard and CSAT surveys -------------------------------------------------------
# A ticket is within SLA when an advisor takes it within this many minutes of its creation.
TICKET_SLA_MINUTES = envint("TICKET_SLA_MINUTES", 30)
# At most one satisfaction survey per contact in this many hours.
CSAT_MIN_HOURS = envint("CSAT_MIN_HOURS", 24)
# The survey is asked this long after the resolution, once the customer is idle (0: at once).
CSAT_DELAY_SECONDS = envint("CSAT_DELAY_SECONDS", 60)
# A survey not asked within this long after it was due is dropped (too late to be useful).
CSAT_SEND_WITHIN_MINUTES = envint("CSAT_SEND_WITHIN_MINUTES", 120)
# How long an asked survey accepts a rating.
CSAT_ANSWER_HOURS = envint("CSAT_ANSWER_HOURS", 24)

# --- Back office: advisors' admin, roles, audit, staff second factor -------------------------
# Staff must confirm a TOTP device (manage.py create_staff) to use the admin.
STAFF_OTP_REQUIRED = envbool("STAFF_OTP_REQUIRED", True)
# Failed admin logins before a lock, per username and per client IP (an office behind one
# NAT address shares the IP count, hence the higher default), and the lock's length: it ends
# that long after it began, whatever is tried meanwhile (django-axes, escalations/login.py).
STAFF_LOGIN_MAX_FAILURES = envint("STAFF_LOGIN_MAX_FAILURES", 5)
STAFF_LOGIN_MAX_FAILURES_PER_IP = envint("STAFF_LOGIN_MAX_FAILURES_PER_IP", 20)
STAFF_LOGIN_LOCK_MINUTES = envint("STAFF_LOGIN_LOCK_MINUTES", 15)
# A staff session with no activity for this long is logged out (background polling is not activity).
STAFF_SESSION_IDLE_MINUTES = envint("STAFF_SESSION_IDLE_MINUTES", 30)
# Behind a proxy, the request header holding the client IP (e.g. HTTP_X_FORWARDED_FOR; the
# last address, the one the proxy appended, is used). Empty: REMOTE_ADDR. The one client
# address of the whole service (proalto.http.client_ip): login throttling, audit log, /verificar/.
STAFF_CLIENT_IP_HEADER = env("STAFF_CLIENT_IP_HEADER")
AXES_HANDLER = "escalations.login.StaffLoginHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own (the handler reads them in this order)
AXES_FAILURE_LIMIT = "escalations.login.failure_limit"
AXES_COOLOFF_TIME = "escalations.login.cool_off"
# Capped lock: attempts while locked are not counted, so they cannot keep a username locked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "proalto.http.client_ip"
AXES_LOCKOUT_CALLABLE = "escalations.login.lockout_response"
# Every failure kept (username, address, browser) for the security team, not only the counts.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# A ticket with no staff activity for this long is flagged in the queue.
TICKET_STALE_MINUTES = envint("TICKET_STALE_MINUTES", 15)
# Who gets an email when a ticket opens (comma list; empty = nobody).
TICKET_NOTIFY_EMAILS = envlist("TICKET_NOTIFY_EMAILS", "")
# Compliance's inbox: new data-rights requests, and a daily list of those due within two
# business days (consent/alerts.py; comma list; empty = nobody, the admin badge still shows).
COMPLIANCE_NOTIFY_EMAILS = envlist("COMPLIANCE_NOTIFY_EMAILS", "")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ProAlto asistente <no-reply@proalto.com.co>")
# Operators who get Django's error reports and the service's alerts (an expired Meta token):
# "Nombre <correo>, otro@proalto.com.co". SERVER_EMAIL is the sender of those.
ADMINS = envadmins("ADMINS")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Periodic work (Celery beat): the whole schedule, in one place ----------------------------
# Each entry names the task by the service it calls; every one is idempotent and a safety net
# behind work that is normally queued at once (a lost broker message, a dead worker).
CELERY_BEAT_SCHEDULE = {
    # Stored messages never processed, replies never sent, claims of dead workers.
    "conversations.pending_sweep": {
        "task": "conversations.pending_sweep",
        "schedule": envint("SWEEP_INTERVAL_SECONDS", 15),
    },
    # Due satisfaction surveys of idle customers.
    "conversations.csat_surveys_send_due": {
        "task": "conversations.csat_surveys_send_due",
        "schedule": envint("CSAT_SWEEP_SECONDS", 30),
    },
    # Application stage changes not yet told to subscribers (normally notified right after commit).
    "credits.stage_changes_notify": {
        "task": "credits.stage_changes_notify",
        "schedule": envint("STAGE_NOTIFY_INTERVAL_SECONDS", 60),
    },
    # What changed in ProAlto's core since the last run, into the local copy (issue 12).
    **(
        {"credits.portfolio_sync": {"task": "credits.portfolio_sync", "schedule": PORTFOLIO_SYNC_SECONDS}}
        if CORE_DATABASE_URL
        else {}
    ),
    # CRM deliveries of leads whose task was never queued or got lost (issue 13), re-queued.
    "api.lead_deliveries_sweep": {"task": "api.lead_deliveries_sweep", "schedule": CRM_WEBHOOK_SWEEP_SECONDS},
    # Reclamos that waited two months for missing information are deemed withdrawn.
    "consent.rights_request_withdraw_stale": {
        "task": "consent.rights_request_withdraw_stale",
        "schedule": envint("HABEAS_DATA_SWEEP_SECONDS", 3600),
    },
    # Messages of contacts without consent, older than UNCONSENTED_RETENTION_DAYS, are emptied.
    "consent.unconsented_messages_purge": {
        "task": "consent.unconsented_messages_purge",
        "schedule": envint("HABEAS_DATA_SWEEP_SECONDS", 3600),
    },
    # Compliance is e-mailed (once a day per request) the data-rights requests due within 2 business days.
    "consent.rights_requests_alert_due": {
        "task": "consent.rights_requests_alert_due",
        "schedule": envint("HABEAS_DATA_SWEEP_SECONDS", 3600),
    },
}

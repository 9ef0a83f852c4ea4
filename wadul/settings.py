"""Wadul settings, read from the environment (see README for every variable)."""

from __future__ import annotations

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wadul.env import (
    env_bool,
    env_float,
    env_int,
    env_json,
    env_list,
    env_str,
    private_dir,
    private_file,
)

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("WADUL_VAR_DIR", str(PROJECT_DIR / "var")))
# The database, uploads, the webhook spool and the secret key live here: the service's
# user only (0700; the files in it 0600).
private_dir(VAR_DIR)

DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a real secret when DEBUG is off "
            "(`make run` generates one in var/secret_key)."
        )
    SECRET_KEY = _INSECURE_KEY
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY is too short: use at least 32 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before django_tasks_db: its `db_worker` command adds the workers' heartbeat.
    "wadul.ops",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "wadul.core",
    "wadul.organisation",
    "wadul.cases",
    "wadul.conversation",
    "wadul.inbox",
    "wadul.api",
    "wadul.demo",
    "wadul.duty",
    "wadul.whatsapp",
    "wadul.simulator",
    "wadul.sla",
    "wadul.routing",
    "wadul.portal",
    "wadul.portal.open311",
    "wadul.whatsapp.relay",
    # Request kinds beyond complaints, each on the conversation core.
    "wadul.ppid",
    "wadul.desa",
    "wadul.privacy",
]

MIDDLEWARE = [
    "wadul.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wadul.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wadul.core.middleware.LanguageMiddleware",
    "wadul.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wadul.inbox.security.AccountSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wadul.urls"
WSGI_APPLICATION = "wadul.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
            # One way to write durations, numbers and short titles on every page.
            "builtins": ["wadul.core.templatetags.wadul_text"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite in WAL mode is the embedded default; PostgreSQL via DATABASE_URL in production.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'wadul.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (DB_CONN_MAX_AGE) like PostgreSQL's: opening one costs ~3 ms
    # (Django registers its SQL functions on each), more than the WhatsApp webhook's insert.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN so concurrent writers queue on busy_timeout
        # instead of failing with "database is locked" when a read transaction upgrades.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=30000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # SQLite creates the file (and its -wal, -shm with the same mode) with the umask's
    # mode, usually world-readable: create it private first.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        private_file(Path(DATABASES["default"]["NAME"]))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.Official"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["wadul.core.limits.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox:case_list"
LOGOUT_REDIRECT_URL = "home"

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
private_dir(STATIC_ROOT)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Largest attachment accepted from any channel (WhatsApp documents may be up to 100 MB;
# the regency's storage policy caps what is kept).
# Uploaded files and their folders: the service's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 16 * 1024 * 1024)
# Largest image decoded (width × height), checked from the header before decoding.
MEDIA_MAX_PIXELS = env_int("MEDIA_MAX_PIXELS", 40_000_000)

# --- Background work -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # "outbox" is the WhatsApp sender's own queue: its pace follows Meta's clock, so it
        # gets a worker that nothing else keeps busy (`make run` starts one per queue).
        "QUEUES": ["default", "outbox"],
    }
}

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Probes and Prometheus call the app on its local port over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
)

# --- Logs (wadul.core.logs) --------------------------------------------------------------------
# plain: one line of text per record; json: one JSON object per line (for journald/Loki).
# Either way each record carries the request id of the web request or webhook it serves.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
# One INFO line per web request (method, route, status, time; no query string). Off by
# default: it costs about 0.1 ms of the webhook's time, and Caddy's access log already has
# every request with its X-Request-ID (a response header).
LOG_REQUESTS = env_bool("LOG_REQUESTS", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "wadul.core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs every request's full URL at INFO: media download URLs carry a
        # signature valid for minutes. Our own ProviderCall log keeps calls, redacted.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# --- Cases -----------------------------------------------------------------------------------
# A citizen's message within this many days after resolution/closure reopens the case.
CASE_REOPEN_GRACE_DAYS = env_int("CASE_REOPEN_GRACE_DAYS", 7)

# --- Village letters (wadul.desa) --------------------------------------------------------------
# Identity photos (KTP, KK) of a request are deleted this many days after its letter is issued.
DESA_PHOTO_RETENTION_DAYS = env_int("DESA_PHOTO_RETENTION_DAYS", 30)

# --- Staff accounts (wadul.inbox.security) ---------------------------------------------------
# Failed logins within this many minutes count towards the limits below.
# Reverse proxies of our own in front of the app: the client address is taken this many
# hops from the right of X-Forwarded-For (0: REMOTE_ADDR, no forwarded header trusted).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES must be 0 or more.")
if TRUSTED_PROXIES:
    # Behind a proxy (Caddy) its X-Forwarded-Proto is believed, so that HTTPS is seen as HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
API_MAX_FAILURES_PER_IP = env_int("API_MAX_FAILURES_PER_IP", 30)
LOGIN_THROTTLE_MINUTES = env_int("LOGIN_THROTTLE_MINUTES", 15)
LOGIN_MAX_FAILURES_PER_USER = env_int("LOGIN_MAX_FAILURES_PER_USER", 5)
LOGIN_MAX_FAILURES_PER_IP = env_int("LOGIN_MAX_FAILURES_PER_IP", 30)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Wadul")
# "Due soon" queue of the inbox: deadlines within this many hours.
INBOX_DUE_SOON_HOURS = env_int("INBOX_DUE_SOON_HOURS", 4)
# When unit heads get their daily WhatsApp summary (local time, working days).
try:
    RELAY_DAILY_SUMMARY_AT = datetime.time.fromisoformat(env_str("RELAY_DAILY_SUMMARY_AT", "07:00"))
except ValueError:
    raise ImproperlyConfigured("RELAY_DAILY_SUMMARY_AT must be a time such as 07:00.") from None
# A citizen's follow-ups within this many minutes of the last WhatsApp notice to the official
# on duty about the same case go as one notice when the time is over (0: each at once).
RELAY_FOLLOW_UP_QUIET_MINUTES = env_int("RELAY_FOLLOW_UP_QUIET_MINUTES", 5)

# --- WhatsApp Cloud API (wadul.whatsapp) --------------------------------------------------------
# The system check `wadul check` says which of these are missing.
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET", "")
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", "https://graph.facebook.com").rstrip("/")
WHATSAPP_API_VERSION = env_str("WHATSAPP_API_VERSION", "v25.0")
# The WhatsApp Business Account (WABA) whose numbers and templates these are
# (`wadul whatsapp_setup`, `wadul whatsapp_templates`).
WHATSAPP_WABA_ID = env_str("WHATSAPP_WABA_ID", "")
# Approved message templates for messages outside the 24-hour window:
# {"purpose": {"language": "template name"}}; purposes: answer, status_update, rating_request,
# notice, serta_merta (`wadul.whatsapp.outbound.message_templates` holds their words;
# `wadul whatsapp_templates push` submits them).
WHATSAPP_LANGUAGE = env_str("WHATSAPP_LANGUAGE", "id")
WHATSAPP_TEMPLATES = env_json(
    "WHATSAPP_TEMPLATES",
    {
        "answer": {"id": "wadul_jawaban"},
        "status_update": {"id": "wadul_status"},
        "rating_request": {"id": "wadul_penilaian"},
        "notice": {"id": "wadul_pemberitahuan"},
        "serta_merta": {"id": "wadul_serta_merta"},
    },
)
# Meta's limits, respected by scheduling: messages per second per number, and the per-user
# pair rate (a bucket of PAIR_BURST messages, one more every PAIR_INTERVAL seconds).
WHATSAPP_THROUGHPUT = env_int("WHATSAPP_THROUGHPUT", 80)
WHATSAPP_COEXISTENCE_THROUGHPUT = env_int("WHATSAPP_COEXISTENCE_THROUGHPUT", 20)
WHATSAPP_PACE_FACTOR = env_float("WHATSAPP_PACE_FACTOR", 0.97)
WHATSAPP_PAIR_BURST = env_int("WHATSAPP_PAIR_BURST", 45)
WHATSAPP_PAIR_INTERVAL = env_float("WHATSAPP_PAIR_INTERVAL", 6.0)
# A message left "sending" by a worker that died is re-sent only if no status webhook for it
# arrived within this many seconds.
WHATSAPP_RECONCILE_SECONDS = env_int("WHATSAPP_RECONCILE_SECONDS", 120)
WHATSAPP_HTTP_TIMEOUT = env_float("WHATSAPP_HTTP_TIMEOUT", 15.0)
# Webhook deliveries are stored by group commit, many per transaction
# (wadul.whatsapp.webhook.deliveries); off: each request INSERTs its own.
WHATSAPP_WEBHOOK_GROUP_COMMIT = env_bool("WHATSAPP_WEBHOOK_GROUP_COMMIT", True)
# --- Routing (central number and web form) ----------------------------------------------------
# A case is assigned/referred automatically when the classifier is at least this sure.
ROUTING_CONFIDENCE_THRESHOLD = env_float("ROUTING_CONFIDENCE_THRESHOLD", 0.6)
# Emergencies are flagged from a lower probability: a missed one costs more than a false alarm.
ROUTING_EMERGENCY_THRESHOLD = env_float("ROUTING_EMERGENCY_THRESHOLD", 0.5)
# Spam is rejected only when very sure; otherwise the operator looks at it.
ROUTING_SPAM_REJECT_THRESHOLD = env_float("ROUTING_SPAM_REJECT_THRESHOLD", 0.9)
# How much one operator decision weighs against one seed example when training.
ROUTING_OPERATOR_WEIGHT = env_float("ROUTING_OPERATOR_WEIGHT", 8.0)
# Likely duplicates: open cases this recent, this close (same desa/kecamatan or metres from
# the pin) and at least this similar in text.
ROUTING_DUPLICATE_DAYS = env_int("ROUTING_DUPLICATE_DAYS", 14)
ROUTING_DUPLICATE_METERS = env_int("ROUTING_DUPLICATE_METERS", 500)
ROUTING_DUPLICATE_SIMILARITY = env_float("ROUTING_DUPLICATE_SIMILARITY", 0.45)
# --- Portal and open data --------------------------------------------------------------------
# Web reports accepted per IP address per hour (spam protection, with a honeypot field).
PORTAL_REPORTS_PER_HOUR = env_int("PORTAL_REPORTS_PER_HOUR", 5)
# Named in open-data files and feeds.
# The regency's identity on the public pages.
REGENCY_NAME = env_str("REGENCY_NAME", "Kabupaten Banyuwangi")
REGENCY_LOGO_URL = env_str("REGENCY_LOGO_URL", "")  # empty: the bundled emblem
PORTAL_PUBLISHER = env_str("PORTAL_PUBLISHER", "Pemerintah Kabupaten Banyuwangi")
OPEN_DATA_LICENCE = env_str("OPEN_DATA_LICENCE", "CC BY 4.0")
# Open311 GeoReport v2 discovery document.
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "Diskominfo Kabupaten Banyuwangi")
OPEN311_KEY_SERVICE = env_str(
    "OPEN311_KEY_SERVICE", "API keys for POST are issued by the regency's Diskominfo."
)
# Statistics pages show figures at most this old (seconds); older ones are recomputed in
# the background.
PORTAL_STATS_MAX_AGE = env_int("PORTAL_STATS_MAX_AGE", 600)
# Sends in flight at once per worker (claims stay in slot order; calls overlap).
WHATSAPP_SENDER_THREADS = env_int("WHATSAPP_SENDER_THREADS", 8)

# --- Operations (wadul.ops): health, metrics, backups ----------------------------------------
# /metrics answers a request with `Authorization: Bearer METRICS_TOKEN`, or from one of
# METRICS_ALLOWED_IPS (addresses or networks, the connecting address, never a forwarded one);
# nothing else. `make run` allows 127.0.0.1 without a token.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])
# Each `wadul db_worker` records a heartbeat this often; /readyz wants one per queue that
# is at most READY_HEARTBEAT_SECONDS old.
WORKER_HEARTBEAT_SECONDS = env_float("WORKER_HEARTBEAT_SECONDS", 10.0)
READY_HEARTBEAT_SECONDS = env_int("READY_HEARTBEAT_SECONDS", 60)
# /readyz fails when the oldest webhook not yet processed is older than this, or when a
# message due to be sent has waited longer than READY_OUTBOX_LAG_SECONDS.
READY_WEBHOOK_BACKLOG_SECONDS = env_int("READY_WEBHOOK_BACKLOG_SECONDS", 120)
READY_OUTBOX_LAG_SECONDS = env_int("READY_OUTBOX_LAG_SECONDS", 300)
# Where `wadul backup` writes its archives (without -o).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
# Personal data (UU 27/2022, wadul.privacy): the DPO named in the privacy notice, the unit
# that handles citizens' data requests (round-the-clock office hours: 3 × 24 clock hours),
# retention overrides in days ({"closed_cases": 1825, "webhook_payloads": 30, …}; see the
# README for every rule and its default) and the access-log alert thresholds (per 24 hours).
PRIVACY_DPO_NAME = env_str(
    "PRIVACY_DPO_NAME", "Pejabat Pelindungan Data Pribadi (PDP) Dinas Kominfo"
)
PRIVACY_DPO_UNIT = env_str("PRIVACY_DPO_UNIT", "PDP")
RETENTION_DAYS = env_json("RETENTION_DAYS", {})
PRIVACY_ALERT_CONFIDENTIAL_OUTSIDE = env_int("PRIVACY_ALERT_CONFIDENTIAL_OUTSIDE", 5)
PRIVACY_ALERT_EXPORTS = env_int("PRIVACY_ALERT_EXPORTS", 20)
# How often the alerts are pushed to the DPO (inbox notification, WhatsApp), in minutes.
PRIVACY_ALERT_PUSH_MINUTES = env_int("PRIVACY_ALERT_PUSH_MINUTES", 10)
# The inbox's live refresh of a case page is logged once per official and case per window.
PRIVACY_LOG_POLL_MINUTES = env_int("PRIVACY_LOG_POLL_MINUTES", 10)

"""Minimal Django settings for the simulator's own process: templates and translations only.

No database, no sessions, no middleware: the simulator plays Meta and shares nothing with the
app but HTTP.
"""

from __future__ import annotations

from pathlib import Path

SECRET_KEY = "whatsapp-simulator-has-no-secrets-of-its-own"  # noqa: S105 (nothing is signed)
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["wadul.simulator"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "wadul.simulator.urls"
DATABASES: dict = {}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
# Media uploads and inbound media in JSON may be large (documents up to 100 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 120 << 20
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"wadul.simulator": {"level": "INFO"}, "httpx": {"level": "WARNING"}},
}

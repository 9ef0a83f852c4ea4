"""The app as `make run` serves it (wadul.wsgi), with bench_urls (adds the reference views) as its
URLconf: the URLconf is read at the first request, so setting it before is enough."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
django.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench_urls"

from wadul.wsgi import application  # noqa: E402, F401

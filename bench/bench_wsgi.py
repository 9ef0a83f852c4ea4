"""The app as `make run` serves it, with bench_urls (adds the no-op view) as its URLconf."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = "bench_urls"
application = get_wsgi_application()
gc.freeze()  # as wadul/wsgi.py does

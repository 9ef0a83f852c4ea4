"""The app's URLs plus two reference views on the same server, with the same middleware: a
no-op POST view, and the no-op view plus one O_DSYNC append of the body (the floor of any
webhook that puts each delivery on disk before its 200)."""

import os
import threading

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from wadul.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def noop(request):
    request.read()
    return HttpResponse("OK", content_type="text/plain")


_synced_file: list[int] = []
_lock = threading.Lock()


@csrf_exempt
def noop_synced(request):
    body = request.read()
    if not _synced_file:
        with _lock:
            if not _synced_file:
                path = settings.VAR_DIR / f"noop-synced-{os.getpid()}"
                flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_DSYNC
                _synced_file.append(os.open(path, flags, 0o600))
    os.write(_synced_file[0], body)
    return HttpResponse("OK", content_type="text/plain")


urlpatterns = [
    path("bench/noop/", noop),
    path("bench/noop-synced/", noop_synced),
    *app_urlpatterns,
]

"""The app's URLs plus two reference views on the same server, with the same middleware: a
no-op POST view, and the no-op view plus one O_DSYNC append of the body (the floor of any
webhook that puts each delivery on disk before its 200); and which checkout's `wadul` serves."""

import os

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

import wadul
from wadul.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def noop(request):
    request.read()
    return HttpResponse("OK", content_type="text/plain")


# The URLconf is read at a worker's first request, so this is that worker's own file.
_synced_file = os.open(
    settings.VAR_DIR / f"noop-synced-{os.getpid()}",
    os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_DSYNC,
    0o600,
)


@csrf_exempt
def noop_synced(request):
    os.write(_synced_file, request.read())
    return HttpResponse("OK", content_type="text/plain")


def where(request):
    return HttpResponse(os.path.dirname(os.path.dirname(wadul.__file__)), content_type="text/plain")


urlpatterns = [
    path("bench/noop/", noop),
    path("bench/where/", where),
    path("bench/noop-synced/", noop_synced),
    *app_urlpatterns,
]

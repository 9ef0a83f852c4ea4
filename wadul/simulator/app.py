"""The simulator's WSGI application: its own URL resolver, no middleware, no database.

It runs under any Django settings that install `wadul.simulator` (for its templates and
translations): its own minimal `wadul.simulator.settings` when served as a process, or the
project's settings when a test starts it in a thread. It never touches `wadul.urls` or a DB.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.urls import URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern
from django.utils import translation

from wadul.simulator.core import Simulator
from wadul.simulator.http import json_response

log = logging.getLogger("wadul.simulator")
LANGUAGES = ("id", "en")


def make_app(simulator: Simulator) -> Callable[[dict, Callable], Iterable[bytes]]:
    resolver = URLResolver(RegexPattern(r"^/"), "wadul.simulator.urls")

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = WSGIRequest(environ)
        request.simulator = simulator  # type: ignore[attr-defined]
        language = request.GET.get("lang") or request.COOKIES.get("sim_lang") or "id"
        with translation.override(language if language in LANGUAGES else "id"):
            try:
                match = resolver.resolve(request.path_info)
                response: HttpResponse = match.func(request, *match.args, **match.kwargs)
            except Resolver404:
                response = json_response({"error": "not found"}, status=404)
            except Exception:
                log.exception("simulator error on %s %s", request.method, request.path)
                response = json_response(
                    {"error": {"message": "An unknown error occurred", "code": 1}}, status=500
                )
        if request.GET.get("lang") in LANGUAGES:
            response.set_cookie("sim_lang", request.GET["lang"], samesite="Lax")
        headers = [*response.items()]
        headers += [("Set-Cookie", c.output(header="")) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]

    return application

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Indonesian first: the language is the one the user picked (cookie), else Indonesian.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most phones in
    Indonesia are set to English; the service desk must still speak Indonesian by default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """Sends `settings.CONTENT_SECURITY_POLICY` with every response that has none: scripts,
    styles, images and forms from this site only, no plugins, no framing. The pages have no
    inline script or style (htmx is told not to add its indicator style: the `htmx-config`
    meta of the inbox's base template), so an injected `<script>` would not run. The browser
    tests fail on any violation (`inbox/tests/browser.py`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            policy = settings.CONTENT_SECURITY_POLICY
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


class RefuseNulMiddleware:
    """A NUL character in the query string is a 400: no view needs one, and PostgreSQL
    refuses it in any text it is given (a 500 deep in whichever view passed it on)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pairs = request.GET.lists()
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in pairs):
            return HttpResponseBadRequest(
                _("The address contains a character that is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

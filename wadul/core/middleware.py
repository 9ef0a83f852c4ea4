from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


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

"""Every URL of the project, from Django's resolver, with a path that reaches it.

Tests walk this list instead of a hand-written one, so a URL added later is covered
without anyone remembering to add it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "1",
    "uuid": "0f8c3c4e-8d1e-4c8e-9b43-7b4c1b3c8c11",
}
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


@dataclass(frozen=True)
class Url:
    path: str
    view_name: str
    namespaces: tuple[str, ...]


def _sample_route(route: str, values: dict[str, str]) -> str:
    return _ROUTE_PARAM.sub(
        lambda m: values.get(m.group("name"), SAMPLES[m.group("converter") or "str"]), route
    )


def _sample_regex(regex: str) -> str:
    def group(m: re.Match[str]) -> str:
        body = m.group("body")
        if "|" in body and not body.startswith("["):
            return body.split("|")[0]
        return "x"

    text = _REGEX_GROUP.sub(group, regex.lstrip("^").rstrip("$"))
    return text.replace("\\.", ".").replace("\\-", "-")


def _sample(pattern, values: dict[str, str]) -> str:
    if isinstance(pattern, RoutePattern):
        return _sample_route(str(pattern), values)
    if isinstance(pattern, RegexPattern):
        return _sample_regex(pattern.regex.pattern)
    raise TypeError(f"unknown pattern type {type(pattern).__name__}")


def all_urls(values: dict[str, str] | None = None) -> list[Url]:
    """Every URL pattern with a path reaching it; `values` fills parameters by name (real
    objects' keys), the rest get a sample of their converter."""
    values = values or {}
    found: list[Url] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + _sample(entry.pattern, values))
            elif isinstance(entry, URLPattern):
                path = "/" + prefix + _sample(entry.pattern, values)
                match = resolve(path)
                # The sample must reach this very pattern, or the walk would test another.
                assert match.func == entry.callback or match.route.endswith(str(entry.pattern)), (
                    f"{path} reaches {match.view_name}, not {entry.name}"
                )
                found.append(Url(path, match.view_name, tuple(match.namespaces)))

    walk(get_resolver().url_patterns, "")
    return found

"""Every query parameter of every public, staff and API view, with hostile values: out-of-range
dates, negative offsets, huge numbers, NUL bytes, very long text. The answer may be a 400 or
a clamped page, never a 5xx.

The URLs come from Django's resolver (`urlwalk`), filled with real objects' keys so that
detail views get as far as reading their parameters; the parameter names are read from the
code (every `GET.get("…")` / `params.get("…")`, the fields of forms bound to `request.GET`)
and from the API's OpenAPI schema, so a view or parameter added later is fuzzed too.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from pathlib import Path

from django.test import Client
from django.urls import resolve

from wadul import testing
from wadul.api.models import ApiToken
from wadul.api.urls import api
from wadul.cases import services
from wadul.cases.models import Via
from wadul.core.tests.urlwalk import all_urls
from wadul.organisation.models import Official

# Every parameter of a view gets each of these, one parameter at a time.
HOSTILE = [
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "-1",
    "99999999999999999999999",
    "1e999",
    "NaN",
    "\x00",
    "x" * 5000,
    "2026-01-01T00:00:00+07:00_99999999999999999999999",  # a list's page cursor
]
ROOT = Path(__file__).resolve().parents[3]
_GET_NAME = re.compile(r"(?:GET|params|query)\.get(?:list)?\(\s*\"([\w.]+)\"")
_GET_FORM = re.compile(r"(\w+Form)\(request\.GET")
# Calls that hand on the request or its query string: `Filters.from_query(request.GET)`,
# `page_of(request, …)`.
_CALL_WITH_REQUEST = re.compile(r"([A-Za-z_][\w.]*)\(\s*request\b")


def _forms_named(form_name: str) -> set[str]:
    for module in ROOT.joinpath("wadul").glob("*/forms.py"):
        forms = importlib.import_module(f"wadul.{module.parent.name}.forms")
        if hasattr(forms, form_name):
            return set(getattr(forms, form_name).base_fields)
    return set()


def _lookup(func, dotted: str):
    """What `dotted` names in the module of `func` (a function, a class's method), or None."""
    found = inspect.getmodule(func)
    for part in dotted.split("."):
        found = getattr(found, part, None)
        if found is None:
            return None
    return found


def _source(obj) -> str:
    try:
        return inspect.getsource(inspect.unwrap(obj))
    except (OSError, TypeError):
        return ""


@functools.cache
def parameters_of_function(func, depth: int = 2) -> frozenset[str]:
    """Query parameters a view reads: `GET.get("…")` in its code, the fields of forms bound
    to `request.GET`, and (two calls deep) those of the project's functions it hands the
    request or its query to."""
    source = _source(func)
    names = set(_GET_NAME.findall(source))
    for form_name in _GET_FORM.findall(source):
        names |= _forms_named(form_name)
    if depth:
        for dotted in set(_CALL_WITH_REQUEST.findall(source)):
            callee = _lookup(inspect.unwrap(func), dotted)
            if callee is not None and getattr(callee, "__module__", "").startswith("wadul."):
                target = getattr(callee, "__func__", callee)
                names |= parameters_of_function(target, depth - 1)
    return frozenset(names)


def _api_parameters() -> dict[str, set[str]]:
    schema = api.get_openapi_schema()
    found: dict[str, set[str]] = {}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            found.setdefault(path, set()).update(
                p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
            )
    return found


def parameters_of(url) -> list[str]:
    if url.namespaces[:1] == ("api",):
        names: set[str] = set()
        for path, params in _api_parameters().items():
            if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", path), url.path):
                names |= params
        return sorted(names)
    func = resolve(url.path).func
    view = getattr(func, "view_class", None) or func
    if not inspect.isfunction(inspect.unwrap(view)):  # a Feed instance, a class-based view
        view = type(view) if not inspect.isclass(view) else view
        methods = [m for _n, m in inspect.getmembers(view, inspect.isfunction)]
        return sorted(set().union(*(parameters_of_function(m) for m in methods)))
    return sorted(parameters_of_function(view))


def test_the_parameters_read_from_the_code_include_the_known_ones():
    found = {
        "/kasus/": {"dari", "sampai", "sebelum", "q"},
        "/inbox/": {"page", "since", "until", "antrian"},
        "/statistik/": {"bulan", "kecamatan"},
        "/api/v1/cases": {"offset", "limit", "since"},
        "/open311/v2/requests.xml": {"start_date", "end_date"},
    }
    urls = {u.path: u for u in all_urls()}
    for path, expected in found.items():
        assert expected <= set(parameters_of(urls[path])), path


def test_no_view_answers_a_hostile_parameter_with_a_5xx(regency, unit_a, official_a):
    admin = testing.create_official(
        "root", unit=regency, role=Official.Role.ADMIN, is_staff=True, is_superuser=True
    )
    kabupaten = testing.create_region("35.10", "Banyuwangi")
    glagah = testing.create_region("35.10.12", "Glagah", parent=kabupaten)
    kemiren = testing.create_region("35.10.12.2006", "Kemiren", parent=glagah)
    case = testing.create_case(unit=unit_a, region=kemiren)
    services.answer(case, text="Sudah kami tangani.", actor=official_a, via=Via.INBOX)
    attachment = services.add_attachment(
        case, file=testing.uploaded_jpeg(), content_type="image/jpeg", actor=None, via=Via.WEB
    )
    _token, key = ApiToken.issue(admin, name="fuzz")
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")
    testing.login(client, admin)
    values = {
        "tracking_number": case.tracking_number,
        "token": str(case.access_token),
        "pk": str(attachment.pk),
        "object_id": str(case.pk),
    }
    failures = []
    requests = 0
    for url in all_urls(values):
        # Django's admin reads only its own parameters (tested by Django); its lists take a
        # second or more each, and fuzzing them would take minutes.
        if url.view_name in SKIP or url.namespaces[:1] == ("admin",):
            continue
        names = parameters_of(url)
        if not names:
            continue
        for name in names:
            for value in HOSTILE:
                requests += 1
                response = client.get(url.path, {name: value})
                if _failed(response):
                    failures.append((url.path, name, value, response.status_code))
    assert requests > 300
    assert not failures, "\n".join(map(repr, failures))


def _failed(response) -> bool:
    if response.status_code >= 500:
        return True
    if response.streaming:  # a 200 that breaks off mid-response is a failure too
        try:
            b"".join(response.streaming_content)
        except Exception:  # noqa: BLE001
            return True
    return False


# Views that change state on GET would be fuzzed into doing so; none may exist. Logging out
# would end the fuzzing session.
SKIP = {"logout", "admin:logout", "whatsapp_webhook"}

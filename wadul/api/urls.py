"""REST API v1 (django-ninja). Every endpoint acts as the token's official."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from wadul.api.models import ApiToken, hash_key
from wadul.cases import access
from wadul.cases import services as case_services
from wadul.cases.models import Message, Via
from wadul.core import limits, params
from wadul.desa import stats as letter_stats
from wadul.desa.models import Service
from wadul.organisation.models import Unit
from wadul.ppid import reports as ppid_reports
from wadul.ppid.models import PpidRequest
from wadul.privacy import services as privacy
from wadul.privacy.models import AccessLog
from wadul.sla.league import Period, league_rows

# Deeper than this, use `since` instead: an offset of 10^23 rows overflows the database.
MAX_OFFSET = 1_000_000


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        ip = limits.client_ip(request)
        if limits.api_token_refused(ip):
            raise HttpError(429, "Too many invalid tokens from this address; try again later.")
        found = (
            ApiToken.objects.select_related("official", "official__unit")
            .filter(key_hash=hash_key(token), revoked_at__isnull=True, official__is_active=True)
            .first()
        )
        if found is None:
            limits.api_token_failed(ip)
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.official
        return found.official


api = NinjaAPI(
    title="Wadul API",
    version="1",
    description=(
        "Cases, messages, units and statistics of the Wadul public service desk. Every "
        "endpoint acts as the official who owns the bearer token (issued in the admin): it "
        "sees the cases that official sees, and a confidential reporter stays hidden unless "
        "the official may see them. Public, masked data without a token: /data/ and "
        "/open311/v2/."
    ),
    auth=TokenAuth(),
    docs_url="/docs",
    urls_namespace="api",
)


class CaseOut(Schema):
    tracking_number: str
    type: str
    status: str
    channel: str
    visibility: str
    priority: str
    unit: str | None
    region: str | None
    subject: str
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None

    @staticmethod
    def resolve_unit(case) -> str | None:
        return case.unit.code if case.unit_id else None

    @staticmethod
    def resolve_region(case) -> str | None:
        return case.region_id


class CaseDetailOut(CaseOut):
    description: str
    reporter: str
    latitude: float | None
    longitude: float | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    rating: int | None


class MessageOut(Schema):
    id: int
    direction: str
    text: str
    author: str | None
    via: str
    delivery: str
    created_at: datetime


class MessageIn(Schema):
    text: str
    kind: str = "answer"  # "answer" goes to the citizen, "note" stays internal


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    is_active: bool

    @staticmethod
    def resolve_parent(unit) -> str | None:
        return unit.parent.code if unit.parent_id else None


@api.get("/cases", response=list[CaseOut], tags=["cases"])
def list_cases(
    request: HttpRequest,
    status: str | None = None,
    unit: str | None = None,
    type: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
):
    """Cases the token's official may see, newest first (`limit` 1–500, `offset` ≥ 0)."""
    if since is not None and not params.moment_in_range(since):
        raise HttpError(400, "since is out of range")
    if not 0 <= offset <= MAX_OFFSET:
        raise HttpError(400, f"offset is between 0 and {MAX_OFFSET}")
    # A person who restricted processing: their cases are not handed to other systems.
    cases = privacy.unrestricted(access.visible_cases(request.auth)).select_related("unit")
    if status:
        cases = cases.filter(status=status)
    if unit:
        cases = cases.filter(unit__code=unit)
    if type:
        cases = cases.filter(type=type)
    if since:
        cases = cases.filter(created_at__gte=since)
    limit = max(1, min(limit, 500))
    page = list(cases.order_by("-created_at", "-pk")[offset : offset + limit])
    # Subjects carry what citizens wrote: every case listed is a look (one INSERT for all).
    privacy.log_access_many(request.auth, page, AccessLog.Surface.API, "case list")
    return page


def _unrestricted_case_or_404(request: HttpRequest, tracking_number: str):
    case = access.get_case_or_404(request.auth, tracking_number)
    if privacy.is_restricted(case.contact_id):
        raise HttpError(404, "Not Found")
    return case


@api.get("/cases/{tracking_number}", response=CaseDetailOut, tags=["cases"])
def get_case(request: HttpRequest, tracking_number: str):
    case = _unrestricted_case_or_404(request, tracking_number)
    privacy.log_access(request.auth, case, AccessLog.Surface.API, "case")
    case.reporter = access.reporter_label(request.auth, case)
    return case


@api.get("/cases/{tracking_number}/messages", response=list[MessageOut], tags=["cases"])
def list_messages(request: HttpRequest, tracking_number: str):
    """The thread, internal notes included (the token's official can see the case)."""
    case = _unrestricted_case_or_404(request, tracking_number)
    privacy.log_access(request.auth, case, AccessLog.Surface.API, "messages")
    reporter = access.reporter_label(request.auth, case)
    messages = case.messages.select_related("author").order_by("created_at", "pk")
    return [_message_out(m, reporter) for m in messages]


@api.post("/cases/{tracking_number}/messages", response={201: MessageOut}, tags=["cases"])
def post_message(request: HttpRequest, tracking_number: str, body: MessageIn):
    """Answer the citizen (kind=answer) or add an internal note (kind=note)."""
    # Another system may not act on a restricted person's case either (the inbox still can).
    case = _unrestricted_case_or_404(request, tracking_number)
    verbs = {"answer": case_services.answer, "note": case_services.add_note}
    if body.kind not in verbs:
        raise HttpError(400, "kind is answer or note")
    try:
        message = verbs[body.kind](case, text=body.text, actor=request.auth, via=Via.API)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except case_services.CaseError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, _message_out(message, access.reporter_label(request.auth, case)))


def _message_out(message: Message, reporter: str) -> dict:
    if message.direction == Message.Direction.INBOUND:
        author = reporter
    elif message.author_id:
        author = str(message.author)
    else:
        author = None
    return {
        "id": message.pk,
        "direction": message.direction,
        "text": message.text,
        "author": author,
        "via": message.via,
        "delivery": message.delivery,
        "created_at": message.created_at,
    }


@api.get("/units", response=list[UnitOut], tags=["units"])
def list_units(request: HttpRequest, include_external: bool = False):
    """The regency's units (and, on request, the outside institutions cases are referred to)."""
    units = Unit.objects.select_related("parent").order_by("path")
    if not include_external:
        units = units.exclude(kind=Unit.Kind.EXTERNAL)
    return units


class UnitStatsOut(Schema):
    unit_code: str
    unit_name: str
    period_start: str
    period_end: str
    received: int
    answered: int
    first_response_median_working_minutes: float | None
    first_response_median_clock_minutes: float | None
    first_response_within_target_share: float | None
    resolved: int
    resolved_share: float | None
    resolution_median_working_minutes: float | None
    resolution_median_clock_minutes: float | None
    reopen_rate: float | None
    rating_average: float | None
    rating_count: int


@api.get("/statistics", response=list[UnitStatsOut], tags=["statistics"])
def statistics(request: HttpRequest, month: str | None = None, unit: str | None = None):
    """Per-unit figures for a calendar month (YYYY-MM, Asia/Jakarta), from the clock's
    metrics; `unit` limits them to one unit and its sub-units."""
    period = Period.parse(month)
    if unit and not Unit.objects.filter(code=unit).exists():
        raise HttpError(404, "No such unit")
    return league_rows(period, f"subtree-{unit}" if unit else "league")


class LetterServiceOut(Schema):
    unit: str
    service_code: str
    name: str
    fields: list[dict]
    documents: list[str]
    fee: int
    fee_note: str
    target_working_hours: int
    signer: str
    delivery: str


class LetterStatsOut(Schema):
    unit_code: str
    unit: str
    kecamatan: str
    requests: int
    issued: int
    median_hours: float | None
    on_time_share: float | None


@api.get("/letter-services", response=list[LetterServiceOut], tags=["village letters"])
def letter_services(request: HttpRequest, unit: str):
    """A unit's village-letter catalogue (Smart Kampung): what each letter needs, its fee,
    target time in working hours and signer."""
    found = Service.objects.filter(unit__code=unit, is_active=True).order_by("name")
    return [
        {
            "unit": unit,
            "service_code": service.code,
            "name": service.name,
            "fields": service.fields,
            "documents": service.documents,
            "fee": service.fee,
            "fee_note": service.fee_note,
            "target_working_hours": service.target_hours,
            "signer": service.signer,
            "delivery": service.delivery,
        }
        for service in found
    ]


@api.get("/letter-statistics", response=list[LetterStatsOut], tags=["village letters"])
def letter_statistics(request: HttpRequest, month: str | None = None):
    """Village letters per desa/kelurahan for a month: requests, letters issued, median
    service time in working hours, share issued within target (no personal data)."""
    period = Period.parse(month)
    return letter_stats.letter_rows(period.start, period.end)[0]


class InformationRequestOut(Schema):
    """A public information request without personal data (as `/data/permohonan-informasi`),
    with its case's tracking number, its stage and its deadlines."""

    registration_number: str
    tracking_number: str
    stage: str
    received: str
    decided: str
    unit: str
    subject: str
    decision: str
    exemption_basis: str
    working_days: int | None
    on_time: bool | None
    extended: bool
    notice_due_at: datetime | None
    objection: bool
    objection_grounds: str
    objection_due_at: datetime | None
    outcome: str


INFORMATION_VALUES = (
    *ppid_reports.PUBLIC_VALUES,
    "case__tracking_number",
    "stage",
    "notice_due_at",
    "objection_due_at",
)


def _information_out(row: dict) -> dict:
    return {
        **ppid_reports.public_row(row),
        "tracking_number": row["case__tracking_number"],
        "stage": row["stage"],
        "notice_due_at": row["notice_due_at"],
        "objection_due_at": row["objection_due_at"],
    }


def _information_requests(request: HttpRequest):
    return PpidRequest.objects.filter(case__in=access.visible_cases(request.auth)).values(
        *INFORMATION_VALUES
    )


@api.get(
    "/information-requests", response=list[InformationRequestOut], tags=["information requests"]
)
def list_information_requests(
    request: HttpRequest,
    stage: str | None = None,
    year: int | None = None,
    limit: int = 50,
    offset: int = 0,
):
    """Public information requests (PPID) of the token's official's units, newest first
    (`limit` 1–500): no requester's name, NIK, address or contact."""
    if not 0 <= offset <= MAX_OFFSET:
        raise HttpError(400, f"offset is between 0 and {MAX_OFFSET}")
    rows = _information_requests(request)
    if stage:
        rows = rows.filter(stage=stage)
    if year:
        rows = rows.filter(year=year)
    limit = max(1, min(limit, 500))
    return [
        _information_out(r) for r in rows.order_by("-received_at", "-pk")[offset : offset + limit]
    ]


@api.get(
    "/information-requests/{number}",
    response=InformationRequestOut,
    tags=["information requests"],
)
def get_information_request(request: HttpRequest, number: str):
    """One request by its registration number (00001-PPID-2026 or 00001/PPID/2026) or its
    case's tracking number."""
    registration = number.replace("-", "/")
    row = (
        _information_requests(request)
        .filter(Q(registration_number=registration) | Q(case__tracking_number=number))
        .first()
    )
    if row is None:
        raise HttpError(404, "No such information request")
    return _information_out(row)

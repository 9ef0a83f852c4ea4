"""REST API v1 (django-ninja). Every endpoint acts as the token's official."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer

from wadul.api.models import ApiToken, hash_key
from wadul.cases import access


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("official", "official__unit")
            .filter(key_hash=hash_key(token), revoked_at__isnull=True, official__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.official
        return found.official


api = NinjaAPI(
    title="Wadul API",
    version="1",
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


@api.get("/cases", response=list[CaseOut])
def list_cases(request: HttpRequest, status: str | None = None, limit: int = 50, offset: int = 0):
    cases = access.visible_cases(request.auth).select_related("unit")
    if status:
        cases = cases.filter(status=status)
    limit = max(1, min(limit, 500))
    return cases.order_by("-created_at")[offset : offset + limit]


@api.get("/cases/{tracking_number}", response=CaseOut)
def get_case(request: HttpRequest, tracking_number: str):
    return access.get_case_or_404(request.auth, tracking_number)

"""The case list: queues, filters and search."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from wadul.cases.models import Case, Status
from wadul.inbox import options, presenters, queues, search
from wadul.inbox.forms import CaseFilterForm
from wadul.inbox.paging import page_of

PAGE_SIZE = 50


def _filtered(request: HttpRequest, form: CaseFilterForm, queue: str):
    cases = queues.cases_in(queue, request.user)
    if not form.is_valid():
        return cases
    data = form.cleaned_data
    if data["status"]:
        cases = cases.filter(status=data["status"])
    if data["type"]:
        cases = cases.filter(type=data["type"])
    if data["region"]:
        # A kecamatan includes its desa.
        code = data["region"]
        cases = cases.filter(Q(region_id=code) | Q(region__parent_id=code))
    zone = timezone.get_current_timezone()
    if data["since"]:
        cases = cases.filter(created_at__gte=datetime.combine(data["since"], time.min, zone))
    if data["until"]:
        cases = cases.filter(created_at__lte=datetime.combine(data["until"], time.max, zone))
    return search.filter_cases(cases, data["q"])


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    slugs = [slug for slug, _label in queues.available(request.user)]
    queue = request.GET.get("antrian") or queues.default_queue(request.user)
    if queue not in slugs:
        queue = queues.default_queue(request.user)
    form = CaseFilterForm(request.GET or None)
    cases = _filtered(request, form, queue).select_related("unit", "region", "assigned_to")
    page = page_of(request, cases.order_by("-created_at", "-pk"), PAGE_SIZE)
    now = timezone.now()
    # Per row, Django's get_status_display() rebuilds the choices dict and {% url %} resolves
    # the pattern again: fifty rows of both were a noticeable share of the page's time.
    labels = dict(Status.choices)
    detail_url = reverse("inbox:case_detail", args=["-"]).removesuffix("-/")
    items = [
        (case, presenters.clock(case, now), labels.get(case.status, case.status))
        for case in page.rows
    ]
    params = request.GET.copy()
    params.pop("page", None)
    params["antrian"] = queue
    context = {
        "form": form,
        "queue": queue,
        "queues": queues.with_counts(request.user, now),
        "items": items,
        "detail_url": detail_url,
        "page": page.number,
        "has_next": page.has_next,
        "query_string": params.urlencode(),
        "searching": bool(form.is_valid() and form.cleaned_data["q"]),
        "case_model": Case,
    }
    context["section"] = "cases"
    context["options"] = {
        name: options.options(form[name].field.choices, form[name].value())
        for name in ("status", "type", "region")
    }
    context["partial"] = request.headers.get("HX-Request") == "true"
    template = "inbox/_case_results.html" if context["partial"] else "inbox/case_list.html"
    return render(request, template, context)

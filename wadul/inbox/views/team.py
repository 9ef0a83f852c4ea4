"""What heads manage for their unit: officials' WhatsApp numbers, the on-duty schedule and
canned answers; and the admin's password reset."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wadul.cases.models import Via
from wadul.duty import services as duty_services
from wadul.duty.models import OnDutyShift
from wadul.duty.services import on_duty
from wadul.inbox import canned, security
from wadul.inbox.forms import CannedAnswerForm, OfficialContactForm, ShiftForm
from wadul.inbox.models import CannedAnswer
from wadul.organisation import services as org_services
from wadul.organisation.models import Official, Unit

MANAGERS = {Official.Role.HEAD, Official.Role.ADMIN}


def _managed_units(official: Official) -> QuerySet[Unit]:
    if official.role == Official.Role.ADMIN:
        return Unit.objects.exclude(kind=Unit.Kind.EXTERNAL)
    if official.role == Official.Role.HEAD and official.unit_id:
        return official.unit.subtree()
    return Unit.objects.none()


def _managed_officials(official: Official) -> QuerySet[Official]:
    if official.role not in MANAGERS:
        raise PermissionDenied
    people = Official.objects.select_related("unit").order_by("unit__path", "first_name")
    if official.role == Official.Role.ADMIN:
        return people
    return people.filter(unit__path__startswith=official.unit.path)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    people = list(_managed_officials(request.user).filter(is_active=True))
    duty_now: dict[int, list[Official]] = {}
    units = {person.unit for person in people if person.unit}
    for unit in sorted(units, key=lambda unit: unit.path):
        duty_now[unit.pk] = on_duty(unit)
    rows = [(person, person in duty_now.get(person.unit_id, [])) for person in people]
    return render(request, "inbox/team.html", {"section": "team", "rows": rows})


@login_required
def official_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_managed_officials(request.user), pk=pk)
    units = (
        _managed_units(request.user).filter(path__startswith=person.unit.path)
        if (person.unit)
        else Unit.objects.none()
    )
    contact_form = OfficialContactForm(instance=person)
    shift_form = ShiftForm(units=units, initial={"unit": person.unit})
    if request.method == "POST":
        if request.POST.get("form") == "shift":
            shift_form = ShiftForm(request.POST, units=units)
            if shift_form.is_valid():
                duty_services.add_shift(
                    official=person, actor=request.user, via=Via.INBOX, **shift_form.cleaned_data
                )
                messages.success(request, _("Shift added."))
                return redirect("inbox:official_edit", pk=person.pk)
        else:
            contact_form = OfficialContactForm(request.POST, instance=person)
            if contact_form.is_valid():
                # Not saved as it is: the number is used once its owner confirms a code.
                number = contact_form.cleaned_data["whatsapp_number"]
                org_services.propose_whatsapp_number(
                    person, number, actor=request.user, via=Via.INBOX
                )
                if number:
                    messages.success(
                        request,
                        _("A code was sent to the number; it is used once confirmed."),
                    )
                else:
                    messages.success(request, _("Saved."))
                return redirect("inbox:official_edit", pk=person.pk)
    context = {
        "section": "team",
        "person": person,
        "contact_form": contact_form,
        "shift_form": shift_form,
        "shifts": OnDutyShift.objects.filter(official=person).select_related("unit"),
        "can_reset": request.user.role == Official.Role.ADMIN,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "inbox/official_edit.html", context, status=status)


@login_required
@require_POST
def shift_delete(request: HttpRequest, pk: int, shift: int) -> HttpResponse:
    person = get_object_or_404(_managed_officials(request.user), pk=pk)
    found = get_object_or_404(OnDutyShift, pk=shift, official=person)
    duty_services.end_shift(found, actor=request.user, via=Via.INBOX)
    messages.success(request, _("Shift removed."))
    return redirect("inbox:official_edit", pk=person.pk)


@login_required
def password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin sets a one-time password for an official and ends their sessions."""
    if request.user.role != Official.Role.ADMIN:
        raise PermissionDenied
    person = get_object_or_404(Official, pk=pk)
    new_password = None
    if request.method == "POST":
        new_password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
        person.set_password(new_password)
        person.save(update_fields=["password"])
        security.logout_everywhere(person)
    context = {"section": "team", "person": person, "new_password": new_password}
    return render(request, "inbox/password_reset.html", context)


@login_required
def canned_list(request: HttpRequest) -> HttpResponse:
    units = canned.units_editable_by(request.user)
    if not units.exists():
        raise PermissionDenied
    form = CannedAnswerForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Canned answer saved."))
        return redirect("inbox:canned_list")
    answers = CannedAnswer.objects.filter(unit__in=units).select_related("unit")
    return render(
        request,
        "inbox/canned_list.html",
        {"section": "canned", "form": form, "answers": answers},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def canned_delete(request: HttpRequest, pk: int) -> HttpResponse:
    units = canned.units_editable_by(request.user)
    get_object_or_404(CannedAnswer, pk=pk, unit__in=units).delete()
    messages.success(request, _("Canned answer removed."))
    return redirect("inbox:canned_list")

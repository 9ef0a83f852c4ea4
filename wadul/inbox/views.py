"""Staff inbox (minimal: the case list and case page; the full desk grows here)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from wadul.cases import access, services
from wadul.cases.models import Status, Via


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All open")), ("all", gettext_lazy("All"))] + Status.choices,
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("answer", "answer"), ("note", "note"), ("resolve", "resolve")]
    )
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("action") in {"answer", "note"} and not data.get("text", "").strip():
            self.add_error("text", _("Write the message first."))
        return data


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    cases = access.visible_cases(request.user).select_related("unit", "region")
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    if status == "all":
        pass
    elif status:
        cases = cases.filter(status=status)
    else:
        cases = cases.exclude(
            status__in=[Status.CLOSED, Status.REJECTED, Status.MERGED, Status.REFERRED]
        )
    page = Paginator(cases.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    return render(request, "inbox/case_list.html", {"page": page, "form": form})


@login_required
@require_GET
def case_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    case = access.get_case_or_404(request.user, tracking_number)
    return render(request, "inbox/case_detail.html", _case_context(request, case, ActionForm()))


@login_required
@require_POST
def case_action(request: HttpRequest, tracking_number: str) -> HttpResponse:
    case = access.get_case_or_404(request.user, tracking_number)
    if not access.can_act(request.user, case):
        raise PermissionDenied
    form = ActionForm(request.POST)
    if form.is_valid():
        action, text = form.cleaned_data["action"], form.cleaned_data["text"]
        try:
            if action == "answer":
                services.answer(case, text=text, actor=request.user, via=Via.INBOX)
            elif action == "note":
                services.add_note(case, text=text, actor=request.user, via=Via.INBOX)
            else:
                services.resolve(case, actor=request.user, via=Via.INBOX, note=text)
        except services.CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("inbox:case_detail", tracking_number=case.tracking_number)
    context = _case_context(request, case, form)
    return render(request, "inbox/case_detail.html", context, status=400)


def _case_context(request: HttpRequest, case, form: ActionForm) -> dict:
    return {
        "case": case,
        "reporter": access.reporter_label(request.user, case),
        "thread": case.messages.select_related("author").prefetch_related("attachments"),
        "events": case.events.select_related("actor", "from_unit", "to_unit"),
        "can_act": access.can_act(request.user, case),
        "form": form,
    }

"""The PPID's desk in the inbox: the queue of information requests (by stage, deadline
first), a request's file with its letters and the legal steps, and counter registration.
Staff see the requests of their units only; the NIK only where they handle the request."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wadul.cases import access
from wadul.cases.models import Channel, Via
from wadul.cases.services import CaseError
from wadul.core import params
from wadul.organisation.models import Unit
from wadul.ppid import kind as ppid_kind
from wadul.ppid import reports, services
from wadul.ppid.forms import RequesterForm
from wadul.ppid.models import Desk, Letter, PpidRequest

S = PpidRequest.Stage
QUEUES = {
    # The same stages as the partial index `ppid_undecided_due`.
    "aktif": ("Belum diputus", ["received", "forwarded", "completion"]),
    "keberatan": ("Keberatan", [S.OBJECTED]),
    "diputus": ("Sudah diputus", [S.DECIDED, S.DELIVERED, S.OBJECTION_DECIDED]),
}


PAGE = 50


def visible_requests(official):
    if official.is_active and official.sees_all_cases:
        return PpidRequest.objects.all()  # no IN over every case for those who see all
    return PpidRequest.objects.filter(case__in=access.visible_cases(official))


@login_required
@require_GET
def ppid_queue(request: HttpRequest) -> HttpResponse:
    queue = request.GET.get("antrian", "aktif")
    label, stages = QUEUES.get(queue, QUEUES["aktif"])
    failed = Letter.objects.filter(request=OuterRef("pk"), state=Letter.State.FAILED)
    rows = (
        visible_requests(request.user)
        .filter(stage__in=stages)
        .select_related("case__unit")
        .annotate(letter_failed=Exists(failed))
        .order_by("notice_due_at" if queue == "aktif" else "-received_at", "pk")
        .only(
            "registration_number",
            "stage",
            "information",
            "received_at",
            "notice_due_at",
            "objection_due_at",
            "decision",
            "case__tracking_number",
            "case__unit__name",
        )
    )
    query = request.GET.get("q", "").strip()[:60]
    if query:
        rows = rows.filter(
            Q(registration_number__icontains=query) | Q(information__icontains=query)
        )
    # Pages without a total: counting every decided request of the regency costs more than
    # the page itself (bench/ppid.py).
    number = params.clamp_int(request.GET.get("hal"), 1, 1, 100_000)
    found = list(rows[(number - 1) * PAGE : number * PAGE + 1])
    context = {
        "section": "ppid",
        "queue": queue,
        "queues": [(slug, name) for slug, (name, _stages) in QUEUES.items()],
        "label": label,
        "rows": found[:PAGE],
        "number": number,
        "has_next": len(found) > PAGE,
        "query": query,
        "now": timezone.now(),
    }
    return render(request, "inbox/ppid_queue.html", context)


def _request_or_404(official, pk: int) -> PpidRequest:
    return get_object_or_404(
        visible_requests(official).select_related("case__unit", "case__contact"), pk=pk
    )


@login_required
@require_GET
def ppid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ppid = _request_or_404(request.user, pk)
    case = ppid.case
    can_act = access.can_act(request.user, case)
    handles = can_act and request.user.unit_id == case.unit_id
    context = {
        "section": "ppid",
        "ppid": ppid,
        "case": case,
        "can_act": can_act,
        # The NIK is for the PPID handling the request (its unit), masked for everyone else.
        "nik": ppid.nik if handles else ppid.masked_nik,
        "letters": ppid.letters.select_related("attachment"),
        # Who asks and their papers: for staff who may see the request's identity.
        "documents": services.requester_documents(ppid) if handles else None,
        "pelaksana": Unit.objects.filter(ppid_desk__role=Desk.Role.PELAKSANA).order_by("name"),
        "decisions": PpidRequest.Decision.choices,
        "outcomes": PpidRequest.Outcome.choices,
        "dispute_outcomes": PpidRequest.DisputeOutcome.choices,
        "exemptions": services.EXEMPTIONS.items(),
        "grounds": [(g, services.OBJECTION_GROUNDS[g]) for g in ppid.objection_grounds],
        "stage": ppid.stage,
    }
    return render(request, "inbox/ppid_detail.html", context)


@login_required
@require_POST
def ppid_action(request: HttpRequest, pk: int) -> HttpResponse:
    ppid = _request_or_404(request.user, pk)
    if not access.can_act(request.user, ppid.case):
        raise PermissionDenied
    post, actor, via = request.POST, request.user, Via.INBOX
    action = post.get("action", "")
    try:
        if action == "forward":
            unit = get_object_or_404(
                Unit, pk=post.get("unit") or 0, ppid_desk__role=Desk.Role.PELAKSANA
            )
            services.forward(ppid, to_unit=unit, actor=actor, via=via, note=post.get("note", ""))
        elif action == "completion":
            services.ask_completion(ppid, text=post.get("text", ""), actor=actor, via=via)
        elif action == "extend":
            services.extend(ppid, reason=post.get("reason", ""), actor=actor, via=via)
        elif action == "decide":
            services.decide(
                ppid,
                decision=post.get("decision", ""),
                exemption_basis=post.get("exemption_basis", ""),
                consequence_test=post.get("consequence_test", ""),
                redactions=post.get("redactions", ""),
                holding_body=post.get("holding_body", ""),
                cost=post.get("cost", ""),
                text=post.get("text", ""),
                file=request.FILES.get("file"),
                actor=actor,
                via=via,
            )
        elif action == "deliver":
            services.deliver(ppid, actor=actor, via=via)
        elif action == "atasan":
            services.decide_objection(
                ppid,
                outcome=post.get("outcome", ""),
                text=post.get("text", ""),
                actor=actor,
                via=via,
            )
        elif action == "dispute":
            services.record_dispute(
                ppid, number=post.get("number", ""), note=post.get("note", ""), actor=actor, via=via
            )
        elif action == "dispute_outcome":
            services.record_dispute_outcome(
                ppid,
                outcome=post.get("outcome", ""),
                note=post.get("note", ""),
                actor=actor,
                via=via,
            )
        elif action == "withdraw":
            services.withdraw(ppid, reason=post.get("reason", ""), actor=actor, via=via)
        elif action == "retry":
            letter = get_object_or_404(ppid.letters, pk=post.get("letter") or 0)
            services.retry_letter(letter, actor=actor, via=via)
        else:
            messages.error(request, "Aksi tidak dikenal.")
            return redirect("inbox:ppid_detail", pk=ppid.pk)
    except (services.PpidError, CaseError) as error:
        messages.error(request, str(error))
        return redirect("inbox:ppid_detail", pk=ppid.pk)
    messages.success(request, "Tersimpan.")
    # A forwarded request may leave the official's units: back to the queue then.
    if not visible_requests(actor).filter(pk=ppid.pk).exists():
        return redirect("inbox:ppid_queue")
    return redirect("inbox:ppid_detail", pk=ppid.pk)


@login_required
@require_GET
def ppid_dispute_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Every letter, message and event of the request as one PDF, for the Komisi Informasi."""
    ppid = _request_or_404(request.user, pk)
    response = HttpResponse(reports.dispute_file_pdf(ppid), content_type="application/pdf")
    name = ppid.registration_number.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="berkas-sengketa-{name}.pdf"'
    return response


class CounterForm(RequesterForm):
    channel = forms.ChoiceField(
        label="Diterima lewat",
        choices=[
            (Channel.WALK_IN, "Datang langsung / surat"),
            (Channel.PHONE, "Telepon / e-mail"),
        ],
    )
    name = forms.CharField(label="Nama pemohon", max_length=200)
    nik = forms.CharField(label="NIK (16 angka)", max_length=30)
    address = forms.CharField(label="Alamat", widget=forms.Textarea(attrs={"rows": 2}))
    contact = forms.CharField(label="Telepon / e-mail", max_length=200)
    information = forms.CharField(label="Informasi yang diminta", widget=forms.Textarea)
    purpose = forms.CharField(label="Tujuan", widget=forms.Textarea(attrs={"rows": 2}))
    obtain = forms.ChoiceField(label="Cara memperoleh", choices=ppid_kind.OBTAIN)
    receive = forms.ChoiceField(label="Cara menerima", choices=ppid_kind.RECEIVE)

    field_order = ["channel"]
    REQUEST_FIELDS = (
        "channel",
        "name",
        "nik",
        "address",
        "contact",
        "information",
        "purpose",
        "obtain",
        "receive",
    )

    def clean_nik(self) -> str:
        try:
            return ppid_kind.check_nik(self.cleaned_data["nik"])
        except ppid_kind.InvalidAnswer as error:
            raise forms.ValidationError(str(error)) from None


@login_required
@require_http_methods(["GET", "POST"])
def ppid_counter(request: HttpRequest) -> HttpResponse:
    """Register a request made at the counter, by phone, letter or e-mail."""
    if request.user.unit_id is None or not Desk.objects.filter(unit=request.user.unit).exists():
        raise PermissionDenied
    form = CounterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CounterForm.REQUEST_FIELDS}
        ppid = services.register_at_counter(
            actor=request.user,
            via=Via.INBOX,
            requester=form.requester_details(),
            documents=form.requester_documents(),
            **data,
        )
        messages.success(request, f"Tercatat dengan nomor registrasi {ppid.registration_number}.")
        return redirect("inbox:ppid_detail", pk=ppid.pk)
    status = 400 if form.errors else 200
    return render(
        request, "inbox/ppid_counter.html", {"form": form, "section": "ppid"}, status=status
    )

"""Public information (PPID) on the portal: the Daftar Informasi Publik (`/informasi/`),
the request form (`/informasi/permohonan/`), the requester's letters on their private page,
and the requests as open data without personal data."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wadul.cases.kinds import InvalidAnswer
from wadul.cases.models import Case, Channel, Via, Visibility
from wadul.conversation import requests
from wadul.portal import services as portal_services
from wadul.portal.forms import normalise_wa_number
from wadul.portal.opendata import csv_response, json_response
from wadul.portal.views import _over_rate_limit
from wadul.ppid import kind as ppid_kind
from wadul.ppid import reports
from wadul.ppid.forms import RequesterForm
from wadul.ppid.models import Desk, DipItem, Letter, PpidRequest
from wadul.ppid.services import (
    OBJECTION_GROUNDS,
    PpidError,
    attach_documents,
    desk_unit,
    lodge_objection,
    withdraw,
    withdrawn_text,
)

C = DipItem.Category


def _checked(check):
    def validate(value: str) -> str:
        try:
            return check(value)
        except InvalidAnswer as error:
            raise ValidationError(str(error)) from None

    return validate


class RequestForm(RequesterForm):
    """The paper form of Perki 1/2021 on the web: every field a PPID must record (who asks
    first: a person, a group or a legal body, on their own behalf or as a proxy)."""

    name = forms.CharField(label="Nama lengkap (sesuai KTP)", max_length=200)
    nik = forms.CharField(label="NIK (16 angka)", max_length=30)
    address = forms.CharField(label="Alamat", widget=forms.Textarea(attrs={"rows": 2}))
    whatsapp = forms.CharField(label="Nomor WhatsApp", max_length=30, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    information = forms.CharField(
        label="Informasi yang diminta", widget=forms.Textarea(attrs={"rows": 4})
    )
    purpose = forms.CharField(label="Tujuan penggunaan", widget=forms.Textarea(attrs={"rows": 2}))
    obtain = forms.ChoiceField(
        label="Cara memperoleh", choices=ppid_kind.OBTAIN, widget=forms.RadioSelect
    )
    receive = forms.ChoiceField(
        label="Cara menerima salinan", choices=ppid_kind.RECEIVE, widget=forms.RadioSelect
    )
    subject_public = forms.BooleanField(
        label="Pokok permohonan saya boleh tampil di daftar permohonan yang diumumkan",
        required=False,
    )

    def clean_name(self) -> str:
        return _checked(ppid_kind.check_name)(self.cleaned_data["name"].strip())

    def clean_nik(self) -> str:
        return _checked(ppid_kind.check_nik)(self.cleaned_data["nik"])

    def clean_address(self) -> str:
        return _checked(ppid_kind.check_long)(self.cleaned_data["address"].strip())

    def clean_information(self) -> str:
        return _checked(ppid_kind.check_long)(self.cleaned_data["information"].strip())

    def clean_purpose(self) -> str:
        return _checked(ppid_kind.check_long)(self.cleaned_data["purpose"].strip())

    def clean_whatsapp(self) -> str:
        raw = self.cleaned_data["whatsapp"].strip()
        if not raw:
            return ""
        number = normalise_wa_number(raw)
        if number is None:
            raise ValidationError("Nomor WhatsApp tidak dikenali; tulis seperti 0812 3456 7890.")
        return number

    def clean(self):
        data = super().clean()
        if not data.get("whatsapp") and not data.get("email"):
            self.add_error("whatsapp", "Isi nomor WhatsApp atau e-mail agar kami dapat menjawab.")
        if data.get("receive") == "whatsapp" and not data.get("whatsapp"):
            self.add_error("whatsapp", "Anda memilih menerima lewat WhatsApp: isi nomornya.")
        return data


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, request.FILES or None)
    rate_limited = False
    if request.method == "POST" and form.is_valid():
        if _over_rate_limit(request):
            rate_limited = True
        else:
            case = submit(
                form.cleaned_data,
                requester=form.requester_details(),
                documents=form.requester_documents(),
            )
            return redirect(reverse("portal:private", args=[case.access_token]) + "?baru=1")
    status = 429 if rate_limited else (400 if form.errors else 200)
    context = {"form": form, "rate_limited": rate_limited}
    return render(request, "portal/informasi_form.html", context, status=status)


@transaction.atomic
def submit(
    data: dict,
    *,
    requester: dict[str, str] | None = None,
    documents: dict[str, File] | None = None,
    channel: str = Channel.WEB,
    via: str = Via.WEB,
) -> Case:
    """Open a request from the web form (or the counter): to the PPID Utama, with the
    requester's papers (a legal body's, a power of attorney) as files of the request."""
    contact = portal_services.reporter_contact(
        name=data["name"], wa_number="", visibility=Visibility.PRIVATE, email=data["email"]
    )
    case = requests.open_from_form(
        channel=channel,
        text=f"Permohonan informasi publik\n{data['information']}",
        via=via,
        contact=contact,
        type=ppid_kind.CODE,
        unit=desk_unit(Desk.Role.UTAMA),
        visibility=Visibility.PRIVATE,
        details={
            "nama": data["name"],
            "nik": data["nik"],
            "alamat": data["address"],
            "kontak": data.get("whatsapp") or data.get("email", ""),
            "informasi": data["information"],
            "tujuan": data["purpose"],
            "cara_memperoleh": data["obtain"],
            "cara_menerima": data["receive"],
            "subjek_publik": bool(data.get("subject_public")),
            **(requester or {}),
        },
    )
    attach_documents(PpidRequest.objects.get(case=case), documents or {}, actor=None, via=via)
    if data.get("whatsapp"):
        portal_services.start_whatsapp_verification(case, data["whatsapp"])
    return case


@require_GET
def dip(request: HttpRequest) -> HttpResponse:
    """The register: searchable, by category; serta merta first."""
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("kategori", "")
    items = DipItem.objects.select_related("unit")
    if query:
        items = items.filter(
            Q(summary__icontains=query)
            | Q(number__icontains=query)
            | Q(unit__name__icontains=query)
        )
    if category in C.values:
        items = items.filter(category=category)
    serta_merta = items.filter(category=C.SERTA_MERTA).order_by("-published_at")[:10]
    listing = items.exclude(category=C.SERTA_MERTA).order_by("category", "number")
    page = Paginator(listing, 50).get_page(request.GET.get("hal"))
    context = {
        "query": query,
        "category": category,
        "categories": C.choices,
        "serta_merta": serta_merta,
        "items": page,
        "page": page,
    }
    return render(request, "portal/informasi.html", context)


@never_cache
@require_GET
def private_letter(request: HttpRequest, token, pk: int) -> FileResponse:
    """A letter of the requester's own request, from their private link."""
    case = get_object_or_404(Case, access_token=token)
    letter = get_object_or_404(Letter, pk=pk, request__case=case, state=Letter.State.READY)
    if letter.attachment is None:
        raise Http404
    response = FileResponse(
        letter.attachment.file.open("rb"),
        content_type="application/pdf",
        filename=letter.attachment.original_name,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


META = {
    "dataset": "public information requests (UU 14/2008)",
    "personal_data": "none: no names, NIK, addresses or contacts; the subject only when the "
    "requester agreed",
}


@require_GET
def requests_csv(request: HttpRequest):
    return csv_response(
        reports.open_data_rows(), reports.OPEN_DATA_FIELDS, "wadul-permohonan-informasi.csv"
    )


@require_GET
def requests_json(request: HttpRequest):
    return json_response(reports.open_data_rows(), META)


@never_cache
@require_POST
def private_objection(request: HttpRequest, token) -> HttpResponse:
    """The requester objects from their private page, choosing the Pasal 35 grounds."""
    case = get_object_or_404(Case, access_token=token)
    ppid = get_object_or_404(PpidRequest, case=case)
    grounds = [g for g in request.POST.getlist("grounds") if g in OBJECTION_GROUNDS]
    try:
        lodge_objection(
            ppid, grounds=grounds, text=request.POST.get("text", "")[:2000], via=Via.WEB
        )
    except PpidError as error:
        messages.error(request, str(error))
    return redirect("portal:private", token=token)


@never_cache
@require_POST
def private_withdraw(request: HttpRequest, token) -> HttpResponse:
    """The requester withdraws their request (before its written notice) from the private page."""
    case = get_object_or_404(Case, access_token=token)
    ppid = get_object_or_404(PpidRequest, case=case)
    try:
        withdraw(ppid, via=Via.WEB, reason=request.POST.get("reason", "")[:500])
    except PpidError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, withdrawn_text(ppid))
    return redirect("portal:private", token=token)


class SertaMertaFeed(Feed):
    """Serta merta announcements (threats to life or public order) as they are published."""

    feed_type = Atom1Feed
    title = "Informasi serta merta"
    subtitle = "Informasi publik yang wajib diumumkan serta merta (UU 14/2008 Pasal 10)."

    def link(self) -> str:
        return reverse("portal:informasi")

    def items(self):
        return DipItem.objects.filter(category=C.SERTA_MERTA).select_related("unit")[:50]

    def item_title(self, item: DipItem) -> str:
        return item.summary[:200]

    def item_description(self, item: DipItem) -> str:
        return f"{item.unit} · {item.form}"

    def item_link(self, item: DipItem) -> str:
        return item.url or reverse("portal:informasi") + f"?q={item.number}"

    def item_pubdate(self, item: DipItem):
        return item.published_at


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """The year's Pasal 12 figures, for the regency and per OPD (no personal data)."""
    this_year = timezone.localtime().year
    year = int(request.GET["tahun"]) if request.GET.get("tahun", "").isdigit() else this_year
    year = min(max(year, 2000), this_year)
    data = reports.figures(year)
    rows = [(label, data[key]) for key, label in reports.LABELS]
    context = {"data": data, "rows": rows, "year": year}
    return render(request, "portal/informasi_figures.html", context)

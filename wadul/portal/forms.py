"""The public report form: what a citizen fills in on the web."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import CaseType, Visibility
from wadul.core.images import NotAnImage, TooManyPixels, check_pixels
from wadul.organisation.models import Region

MAX_PHOTOS = 3
IMAGE_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}
_SEPARATORS = re.compile(r"[\s.\-()/]")


def normalise_wa_number(raw: str) -> str | None:
    """An Indonesian mobile number as WhatsApp writes it (628…), or None if it is not one.

    Accepts 0812…, +62 812…, 62812…, 812… with spaces, dots, dashes or brackets.
    """
    compact = _SEPARATORS.sub("", raw or "")
    if compact.startswith("+"):
        compact = compact[1:]
    if compact.startswith("0"):
        compact = "62" + compact[1:]
    elif compact.startswith("8"):
        compact = "62" + compact
    return compact if re.fullmatch(r"628[1-9]\d{6,10}", compact) else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


def _region_choices() -> list:
    """Desa grouped by kecamatan, for a select element."""
    groups: dict[str, list[tuple[str, str]]] = {}
    kecamatan_names = dict(
        Region.objects.filter(level=Region.Level.KECAMATAN).values_list("code", "name")
    )
    for code, name, kind, parent in Region.objects.filter(level=Region.Level.DESA).values_list(
        "code", "name", "kind", "parent_id"
    ):
        kecamatan = kecamatan_names.get(parent, "")
        # The kecamatan beside every desa: names repeat (two Desa Tamansari).
        label = f"{'Kel.' if kind == 'kelurahan' else 'Desa'} {name} · {kecamatan}"
        groups.setdefault(kecamatan, []).append((code, label))
    choices: list = [("", _("— choose a desa/kelurahan —"))]
    for kecamatan in sorted(groups):
        choices.append((f"Kec. {kecamatan}", sorted(groups[kecamatan], key=lambda c: c[1])))
    return choices


class ReportForm(forms.Form):
    """A citizen's report. Errors are shown next to each field, in Indonesian."""

    VISIBILITY_CHOICES = [
        (Visibility.PUBLIC, _("Public: published on the portal, your name hidden")),
        (Visibility.ANONYMOUS, _("Anonymous: published, and we do not record your name")),
        (Visibility.PRIVATE, _("Private: not published")),
        (
            Visibility.CONFIDENTIAL,
            _("Confidential: not published, your identity hidden even from the unit"),
        ),
    ]

    type = forms.ChoiceField(
        label=_("What kind of report?"),
        choices=CaseType.choices,
        initial=CaseType.COMPLAINT,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Your report"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, where, since when. Do not write your ID number here."),
    )
    photos = MultiplePhotoField(
        label=_("Photos (up to 3)"),
        required=False,
        help_text=_("Published only after an operator checks them."),
    )
    region = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it?"),
        choices=VISIBILITY_CHOICES,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    whatsapp = forms.CharField(
        label=_("WhatsApp number for updates (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("We send the answers there. Never published."),
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label="Website")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices()

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region")
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(_("Choose a desa/kelurahan from the list."))
        return region

    def clean_whatsapp(self) -> str:
        raw = self.cleaned_data.get("whatsapp", "").strip()
        if not raw:
            return ""
        number = normalise_wa_number(raw)
        if number is None:
            raise ValidationError(
                _("This is not an Indonesian mobile number. Example: 0812 3456 7890.")
            )
        return number

    def clean_photos(self) -> list:
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("Send at most %(n)d photos.") % {"n": MAX_PHOTOS})
        cleaned = []
        for photo in photos:
            if photo.size > settings.ATTACHMENT_MAX_BYTES:
                raise ValidationError(
                    _("%(name)s is larger than %(mb)d MB.")
                    % {"name": photo.name, "mb": settings.ATTACHMENT_MAX_BYTES // 2**20}
                )
            head = photo.read(16)
            photo.seek(0)
            kind = next(
                (
                    t
                    for t, sigs in IMAGE_SIGNATURES.items()
                    if any(head.startswith(s) for s in sigs)
                ),
                None,
            )
            not_a_photo = ValidationError(
                _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": photo.name}
            )
            if kind is None or (kind == "image/webp" and head[8:12] != b"WEBP"):
                raise not_a_photo
            # The header only: decoding waits until the report is accepted (views.report).
            try:
                check_pixels(photo)
            except TooManyPixels:
                raise ValidationError(
                    _("%(name)s has too many pixels; send a smaller photo.") % {"name": photo.name}
                ) from None
            except NotAnImage:
                raise not_a_photo from None
            photo.content_type = kind
            cleaned.append(photo)
        return cleaned

    def clean(self) -> dict:
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("latitude", _("The map point is incomplete; choose it again."))
        return data

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

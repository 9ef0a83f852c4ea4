"""Forms of the staff inbox. Field errors are in English msgids, shown in Indonesian."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import CaseType, Status
from wadul.core import params
from wadul.duty.models import OnDutyShift
from wadul.inbox import options
from wadul.inbox.models import CannedAnswer
from wadul.organisation.models import Official, Unit

# Days the code can compute with (a day later, in UTC): year 1 or 9999 is refused, not a 500.
DATE_RANGE = [MinValueValidator(params.EARLIEST), MaxValueValidator(params.LATEST)]


class DateInput(forms.DateInput):
    input_type = "date"


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + Status.choices
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any"))] + CaseType.choices
    )
    region = forms.ChoiceField(label=_("Desa/kecamatan"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=DateInput, validators=DATE_RANGE
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=DateInput, validators=DATE_RANGE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Anywhere")), *options.region_choices()]


class ActionForm(forms.Form):
    """Every action of the case page posts here; `clean` checks what each one needs."""

    ACTIONS = [
        "answer",
        "note",
        "assign_me",
        "assign",
        "transfer",
        "refer",
        "merge",
        "clarify",
        "resolve",
        "close",
        "reopen",
        "return_to_triage",
        "reject",
    ]
    NEEDS_TEXT = {
        "answer": _("Write the message first."),
        "note": _("Write the message first."),
        "clarify": _("Write the question for the citizen."),
    }
    NEEDS_REASON = {
        "transfer": _("Give a reason for the transfer."),
        "return_to_triage": _("Say why the case is not for your unit."),
        "reject": _("Say why the case is rejected."),
    }

    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])
    text = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).filter(is_active=True),
    )
    official = forms.ModelChoiceField(
        label=_("Official"), required=False, queryset=Official.objects.filter(is_active=True)
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        required=False,
        queryset=Unit.objects.filter(kind=Unit.Kind.EXTERNAL, is_active=True),
    )
    survivor = forms.CharField(label=_("Tracking number of the case to keep"), required=False)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in self.NEEDS_TEXT and not (data.get("text") or "").strip():
            self.add_error("text", self.NEEDS_TEXT[action])
        if action in self.NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", self.NEEDS_REASON[action])
        if action == "transfer" and not data.get("unit"):
            self.add_error("unit", _("Choose a unit."))
        if action == "refer" and not data.get("institution"):
            self.add_error("institution", _("Choose an institution."))
        if action == "merge" and not (data.get("survivor") or "").strip():
            self.add_error("survivor", _("Give the tracking number of the case to keep."))
        if action == "assign" and not data.get("unit") and not data.get("official"):
            self.add_error("official", _("Choose a unit or an official."))
        return data


class CannedAnswerForm(forms.ModelForm):
    class Meta:
        model = CannedAnswer
        fields = ["unit", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class OfficialContactForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = ["whatsapp_number"]


class ShiftForm(forms.ModelForm):
    class Meta:
        model = OnDutyShift
        fields = ["unit", "weekday", "start_time", "end_time", "start_date", "end_date", "priority"]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
            "start_date": DateInput,
            "end_date": DateInput,
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if (data.get("start_time") is None) != (data.get("end_time") is None):
            self.add_error("end_time", _("Give both times, or neither."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start > end:
            self.add_error("end_date", _("The last day is before the first."))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

"""PPID records: the desks (who is PPID Utama, Pelaksana, atasan), each request's legal
file, its letters, and the Daftar Informasi Publik."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Attachment, Case, Contact
from wadul.organisation.models import Unit, WhatsAppNumber
from wadul.ppid.kind import OBJECTION_GROUNDS, REQUESTER_TYPES, acting_as


class Desk(models.Model):
    """A unit's PPID role: the PPID Utama (Diskominfo) triages, each OPD's PPID Pelaksana
    answers, the atasan PPID (Sekda) decides objections."""

    class Role(models.TextChoices):
        UTAMA = "utama", _("PPID Utama")
        PELAKSANA = "pelaksana", _("PPID Pelaksana")
        ATASAN = "atasan", _("atasan PPID")

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="ppid_desk")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("PPID desk")
        verbose_name_plural = _("PPID desks")

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit}"


class Sequence(models.Model):
    """Per-year counters (registration numbers, letter numbers), taken under a row lock."""

    name = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="ppid_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.last}"


class PpidRequest(models.Model):
    """The legal file of one information request (its case holds the thread and the clock).

        received ──forward──▶ forwarded ──decide──▶ decided ──deliver──▶ delivered
           │  ▲                   │ ▲                  │                     │
           │  └─ completed ◀── completion ◀─┘          └──────object─────────┴──▶ objected
           └──decide (not held / refused at triage)                             │
                                                                    atasan decides ▼
                                                                         objection_decided

    Extension (once, ≤ 7 working days) is a fact of the file, not a stage.
    """

    class Stage(models.TextChoices):
        RECEIVED = "received", _("received")
        FORWARDED = "forwarded", _("forwarded to PPID Pelaksana")
        COMPLETION = "completion", _("waiting for completion")
        DECIDED = "decided", _("written notice sent")
        DELIVERED = "delivered", _("information delivered")
        OBJECTED = "objected", _("objection lodged")
        OBJECTION_DECIDED = "objection_decided", _("objection decided")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Decision(models.TextChoices):
        GRANTED = "granted", _("granted")
        PARTLY = "partly_granted", _("partly granted")
        REFUSED = "refused", _("refused (exempt)")
        NOT_HELD = "not_held", _("not held")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("objection upheld (information to be given)")
        PARTLY = "partly_upheld", _("objection partly upheld")
        DISMISSED = "dismissed", _("objection dismissed")

    class DisputeOutcome(models.TextChoices):
        MEDIATED = "mediated", _("settled by mediation")
        GRANTED = "granted", _("requester's claim granted")
        PARTLY = "partly_granted", _("requester's claim partly granted")
        REJECTED = "rejected", _("requester's claim rejected")
        WITHDRAWN = "withdrawn", _("withdrawn by the requester")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="ppid")
    registration_number = models.CharField(_("registration number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(db_index=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED
    )
    # The requester (identity fields: shown to the handling PPID only).
    name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    address = models.TextField(_("address"), blank=True)
    contact = models.CharField(_("contact (phone / e-mail)"), max_length=200, blank=True)
    # An individual, a group of people or a legal body (its name; its registration papers
    # are among the case's files from the requester), on their own behalf or as someone's
    # proxy (the power of attorney likewise).
    requester_type = models.CharField(
        _("requester"), max_length=12, choices=REQUESTER_TYPES, default="perorangan"
    )
    body_name = models.CharField(_("legal body"), max_length=200, blank=True)
    proxy = models.BooleanField(_("acting as proxy (kuasa)"), default=False)
    principal = models.CharField(_("acting for"), max_length=200, blank=True)
    information = models.TextField(_("information requested"))
    purpose = models.TextField(_("purpose"), blank=True)
    obtain = models.CharField(_("how to obtain"), max_length=20, blank=True)
    receive = models.CharField(_("how to receive"), max_length=20, blank=True)
    # May the subject appear in the published register (the requester agreed)?
    subject_public = models.BooleanField(_("subject may be published"), default=False)

    # The OPD whose PPID handled the request (the PPID Utama's until it forwards it): the
    # statistics count it there, also after an objection took the case to the atasan.
    handling_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handling PPID's unit"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    notice_due_at = models.DateTimeField(_("written notice due"), null=True, blank=True)
    extended_at = models.DateTimeField(_("extended"), null=True, blank=True)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    completion_asked = models.TextField(_("completion asked for"), blank=True)

    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, blank=True, db_index=True
    )
    decided_at = models.DateTimeField(_("written notice sent"), null=True, blank=True)
    decision_text = models.TextField(_("notice text"), blank=True)
    # Refusal / redaction: the Pasal 17 basis and the consequence test (uji konsekuensi).
    exemption_basis = models.CharField(_("Pasal 17 basis"), max_length=20, blank=True)
    consequence_test = models.TextField(_("consequence test"), blank=True)
    redactions = models.TextField(_("blacked-out parts and why"), blank=True)
    holding_body = models.CharField(_("body that holds it"), max_length=200, blank=True)
    cost = models.CharField(_("form and cost"), max_length=200, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days taken"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # The requester's own windows, shown to them: to object (30 working days from the
    # notice) and to take the dispute to the Komisi Informasi (14 from the atasan's answer).
    objection_until = models.DateTimeField(_("objection possible until"), null=True, blank=True)
    dispute_until = models.DateTimeField(_("dispute possible until"), null=True, blank=True)

    objected_at = models.DateTimeField(_("objection lodged"), null=True, blank=True)
    objection_grounds = models.JSONField(_("Pasal 35 grounds"), default=list, blank=True)
    objection_text = models.TextField(_("objection"), blank=True)
    objection_due_at = models.DateTimeField(_("objection decision due"), null=True, blank=True)
    outcome = models.CharField(
        _("atasan decision"), max_length=20, choices=Outcome.choices, blank=True
    )
    outcome_text = models.TextField(_("atasan decision text"), blank=True)
    outcome_at = models.DateTimeField(_("atasan decided"), null=True, blank=True)

    # The dispute (sengketa) the requester took to the Komisi Informasi (Pasal 37), as the
    # PPID learns of it: registered, then decided.
    dispute_at = models.DateTimeField(_("dispute registered"), null=True, blank=True)
    dispute_number = models.CharField(
        _("Komisi Informasi register number"), max_length=100, blank=True
    )
    dispute_note = models.TextField(_("dispute notes"), blank=True)
    dispute_outcome = models.CharField(
        _("dispute outcome"), max_length=20, choices=DisputeOutcome.choices, blank=True
    )
    dispute_outcome_at = models.DateTimeField(_("dispute decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["stage", "-received_at"], name="ppid_stage_time"),
            # The PPID queue: undecided requests, nearest deadline first (a small index
            # the queue walks in order instead of sorting every undecided request).
            models.Index(
                fields=["notice_due_at", "id"],
                condition=models.Q(stage__in=["received", "forwarded", "completion"]),
                name="ppid_undecided_due",
            ),
        ]

    def __str__(self) -> str:
        return self.registration_number

    @property
    def grounds_choices(self):
        """The Pasal 35 grounds an objection may name (for forms)."""
        return OBJECTION_GROUNDS.items()

    @property
    def acting_as(self) -> str:
        """How the letters name the requester (the legal body, "selaku kuasa dari …")."""
        return acting_as(
            name=self.name,
            requester_type=self.requester_type,
            body_name=self.body_name,
            proxy=self.proxy,
            principal=self.principal,
        )

    @property
    def masked_nik(self) -> str:
        return f"{self.nik[:4]}{'*' * 8}{self.nik[-4:]}" if len(self.nik) == 16 else ""


class LetterTemplate(models.Model):
    """An editable letter body (Django template language) overriding the bundled
    `ppid/letters/<code>.txt`."""

    code = models.CharField(_("letter"), max_length=24, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return self.title


class Letter(models.Model):
    """A numbered letter of a request, rendered to PDF. A failed render keeps its number
    and is retried (`services.render_letter`)."""

    class State(models.TextChoices):
        PENDING = "pending", _("to be rendered")
        READY = "ready", _("rendered")
        FAILED = "failed", _("render failed")

    request = models.ForeignKey(PpidRequest, on_delete=models.CASCADE, related_name="letters")
    code = models.CharField(_("letter"), max_length=24)
    number = models.CharField(_("number"), max_length=64, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    context = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.number


class DipItem(models.Model):
    """One entry of the Daftar Informasi Publik: the seven fields of Perki 1/2021 and the
    category. An exempt item is listed with its consequence-test reference only."""

    class Category(models.TextChoices):
        BERKALA = "berkala", _("periodic (berkala)")
        SERTA_MERTA = "serta_merta", _("immediate (serta merta)")
        SETIAP_SAAT = "setiap_saat", _("available at any time (setiap saat)")
        DIKECUALIKAN = "dikecualikan", _("exempt (dikecualikan)")

    number = models.CharField(_("number"), max_length=32, unique=True)
    summary = models.TextField(_("summary"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dip_items")
    responsible = models.CharField(_("person responsible"), max_length=200)
    made = models.CharField(_("time and place made"), max_length=200)
    form = models.CharField(_("form available"), max_length=100)
    retention = models.CharField(_("retention period"), max_length=100)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    consequence_test_ref = models.CharField(
        _("consequence test reference"), max_length=200, blank=True
    )
    url = models.URLField(_("document link"), blank=True)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A serta merta item is announced to the subscribers once (`services.announce`).
    announced_at = models.DateTimeField(_("announced to subscribers"), null=True, blank=True)

    class Meta:
        verbose_name = _("DIP item")
        verbose_name_plural = _("DIP items")
        ordering = ["category", "number"]
        indexes = [models.Index(fields=["category", "-published_at"], name="dip_category_time")]

    def __str__(self) -> str:
        return self.number


class Subscriber(models.Model):
    """A citizen who asked for serta merta announcements ("langganan info") on a channel;
    "berhenti info" ends it."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, related_name="ppid_subscription"
    )
    channel = models.CharField(_("channel"), max_length=20)
    # The number they subscribed on (WhatsApp sends from it).
    number = models.ForeignKey(
        WhatsAppNumber, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscribed_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True, db_index=True)

    class Meta:
        verbose_name = _("serta merta subscriber")
        verbose_name_plural = _("serta merta subscribers")

    def __str__(self) -> str:
        return f"{self.contact_id} ({self.channel})"

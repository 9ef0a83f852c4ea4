"""Cases: the citizen, the case, its thread, its files and its append-only event log.

Nothing here changes case state by itself: `wadul.cases.services` does, and writes an event
for every change.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases import kinds
from wadul.organisation.models import Region, Unit, WhatsAppNumber


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEB = "web", _("web form")
    API = "api", _("API")
    PHONE = "phone", _("telephone")
    WALK_IN = "walk_in", _("in person")


class Via(models.TextChoices):
    """The surface an action came through (recorded on every event)."""

    WHATSAPP = "whatsapp", _("WhatsApp (citizen)")
    RELAY = "relay", _("WhatsApp relay (official)")
    COEXISTENCE = "coexistence", _("WhatsApp Business app")
    INBOX = "inbox", _("web inbox")
    WEB = "web", _("public portal")
    API = "api", _("API")
    ADMIN = "admin", _("admin")
    SYSTEM = "system", _("system")


class Contact(models.Model):
    """A citizen who reports. Identified by one or more channel identities."""

    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    consent_at = models.DateTimeField(
        _("privacy notice acknowledged"),
        null=True,
        blank=True,
        help_text=_("When the citizen was first shown the privacy notice."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"


class ContactIdentity(models.Model):
    """One way to reach a contact: a WhatsApp wa_id or user_id, a phone, an e-mail …"""

    class Kind(models.TextChoices):
        WA_ID = "wa_id", _("WhatsApp ID (phone)")
        WA_USER_ID = "wa_user_id", _("WhatsApp user ID")
        WA_USERNAME = "wa_username", _("WhatsApp username")
        PHONE = "phone", _("phone number")
        EMAIL = "email", _("e-mail")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact identity")
        verbose_name_plural = _("contact identities")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="unique_contact_identity")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class CaseType(models.TextChoices):
    COMPLAINT = "complaint", _("complaint (pengaduan)")
    SUGGESTION = "suggestion", _("suggestion (aspirasi)")
    INFORMATION_REQUEST = "information_request", _("information request")
    SERVICE_REQUEST = "service_request", _("service request (layanan)")


class Status(models.TextChoices):
    """Case lifecycle.

        received ──► triage ──► assigned ──► in_progress ──► answered ──► resolved ──► closed
            │           │          │  ▲           │  ▲           │            │           │
            │           │          │  └─ waiting ◄┘  └───────────┘            └─► reopened ◄┘
            └───────────┴──────────┴──► referred (outside) / rejected (spam) / merged

    `waiting` = asked the citizen for clarification (the clock pauses). The allowed moves are
    listed in `wadul.cases.kinds.complaint.TRANSITIONS` (each request kind has its own).
    """

    RECEIVED = "received", _("received")
    TRIAGE = "triage", _("in triage")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting for citizen")
    ANSWERED = "answered", _("answered")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")
    REFERRED = "referred", _("referred outside")
    REJECTED = "rejected", _("rejected / spam")
    MERGED = "merged", _("merged duplicate")


OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.TRIAGE,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.WAITING,
        Status.ANSWERED,
        Status.REOPENED,
    }
)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    PRIVATE = "private", _("private")
    ANONYMOUS = "anonymous", _("anonymous")
    CONFIDENTIAL = "confidential", _("confidential")


class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


class Case(models.Model):
    """A tracked matter raised by a citizen. See `Status` for its lifecycle."""

    tracking_number = models.CharField(_("tracking number"), max_length=9, unique=True)
    # Private link for the reporter (portal); never shown to anyone else.
    access_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The request kind (`wadul.cases.kinds`): its choices are the registered kinds.
    type = models.CharField(
        _("type"), max_length=24, choices=kinds.choices, default=CaseType.COMPLAINT
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The official number the citizen wrote to; answers go out from the same number.
    channel_number = models.ForeignKey(
        WhatsAppNumber,
        verbose_name=_("WhatsApp number"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        limit_choices_to=~Q(kind=Unit.Kind.EXTERNAL),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned official"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    referred_to = models.ForeignKey(
        Unit,
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_cases",
        limit_choices_to={"kind": Unit.Kind.EXTERNAL},
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # What the kind's intake collected (field name → answer), or None. May hold personal
    # data (NIK): shown to the handling unit only, never published. Nullable without a
    # default so that adding it keeps SQLite's table (and its hand-made partial indexes).
    details = models.JSONField(_("details"), null=True, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("desa/kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)

    created_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_inbound_at = models.DateTimeField(_("last message from citizen"), null=True, blank=True)
    # Deadlines in working time, kept on the case so queues and sweeps are cheap queries
    # (computed by the clock; written only by `wadul.sla.services.store_deadlines`). Null = no
    # target running.
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    next_response_due_at = models.DateTimeField(_("next response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["unit", "status", "-created_at"], name="case_unit_status"),
            models.Index(fields=["status", "-created_at"], name="case_status"),
            models.Index(fields=["contact", "status"], name="case_contact_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="case_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def hides_identity(self) -> bool:
        return self.visibility == Visibility.CONFIDENTIAL


class Message(models.Model):
    """One entry in a case's thread."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("from citizen")
        OUTBOUND = "outbound", _("to citizen")
        NOTE = "note", _("internal note")
        SYSTEM = "system", _("system")

    class Delivery(models.TextChoices):
        NOT_APPLICABLE = "n/a", _("not applicable")
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        READ = "read", _("read")
        FAILED = "failed", _("failed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    text = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    via = models.CharField(_("via"), max_length=16, choices=Via.choices)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.NOT_APPLICABLE
    )
    delivery_error = models.CharField(_("delivery error"), max_length=300, blank=True)
    # The channel's own id (WhatsApp wamid) for inbound and sent messages.
    external_id = models.CharField(max_length=128, blank=True, db_index=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="message_case_time")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.text[:40]}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the original filename may contain personal data.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_extension(filename)}"


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    ext = filename[dot:].lower() if dot != -1 else ""
    return ext if len(ext) <= 6 and ext[1:].isalnum() else ""


class Attachment(models.Model):
    """A file sent with a message: photo, voice note, video, document."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("photo")
        AUDIO = "audio", _("audio")
        VIDEO = "video", _("video")
        DOCUMENT = "document", _("document")
        STICKER = "sticker", _("sticker")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    # Photos are published on the portal only after an operator approves them.
    approved_for_public = models.BooleanField(_("approved for public"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name or self.file.name


class CaseEvent(models.Model):
    """Append-only log of everything that happened to a case; statistics derive from it.

    `at` is when it happened (an echo from the Business app carries its own time);
    `recorded_at` is when Wadul wrote it.
    """

    class Kind(models.TextChoices):
        OPENED = "opened", _("opened")
        MESSAGE_RECEIVED = "message_received", _("message from citizen")
        ANSWERED = "answered", _("answered")
        NOTE_ADDED = "note_added", _("internal note")
        ATTACHMENT_ADDED = "attachment_added", _("attachment added")
        TRIAGED = "triaged", _("sent to triage")
        ASSIGNED = "assigned", _("assigned")
        TRANSFERRED = "transferred", _("transferred")
        REFERRED = "referred", _("referred outside")
        STARTED = "started", _("work started")
        CLARIFICATION_REQUESTED = "clarification_requested", _("clarification requested")
        MERGED = "merged", _("merged as duplicate")
        REJECTED = "rejected", _("rejected")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        RATED = "rated", _("rated")
        VISIBILITY_CHANGED = "visibility_changed", _("visibility changed")
        PRIORITY_CHANGED = "priority_changed", _("priority changed")
        LOCATION_SET = "location_set", _("location set")
        ATTACHMENT_APPROVAL = "attachment_approval", _("photo publication decided")
        TERM_UNMASKED = "term_unmasked", _("personal term unmasked")
        CONTACT_MERGED = "contact_merged", _("reporter's contacts merged")
        # The clock (wadul.sla): warnings, breaches and escalations of deadlines, and the
        # one extension of an information request.
        SLA_WARNING = "sla_warning", _("deadline approaching")
        SLA_BREACHED = "sla_breached", _("deadline missed")
        ESCALATED = "escalated", _("escalated")
        DEADLINE_EXTENDED = "deadline_extended", _("deadline extended")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_events",
    )
    via = models.CharField(_("via"), max_length=16, choices=Via.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    from_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["case", "at"], name="event_case_time"),
            models.Index(fields=["kind", "at"], name="event_kind_time"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are append-only.")

"""The WhatsApp channel's own state: raw webhook deliveries, what was understood from them,
the outbox of messages to send, media to download, provider calls and alerts for admins.

Case state lives in `wadul.cases`; this app only records how the channel carried it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Case, Contact, Message
from wadul.organisation.models import WhatsAppNumber


class WebhookDelivery(models.Model):
    """One signed POST from Meta, stored raw before anything else happens.

        pending ──► processed
           │
           └──────► flagged   (something in it was not understood or could not be applied:
                                unknown number, unknown shape, an error; kept for replay)

    Processing is idempotent (messages dedupe on their wamid, statuses on wamid + status), so
    a delivery can be replayed any number of times.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        PROCESSED = "processed", _("processed")
        FLAGGED = "flagged", _("flagged for replay")

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    body = models.TextField(_("raw body"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    unknown_number = models.BooleanField(
        _("unknown number"),
        default=False,
        help_text=_("Addressed to a phone_number_id that is not registered."),
    )
    phone_number_ids = models.CharField(_("phone number IDs"), max_length=200, blank=True)
    notes = models.TextField(_("what was not understood"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        indexes = [
            # The worker's sweep reads only the rows still to do.
            models.Index(fields=["id"], name="delivery_pending", condition=Q(state="pending")),
            models.Index(fields=["state", "id"], name="delivery_state"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_state_display()}"

    @classmethod
    def insert_pending(cls, rows: list[tuple[datetime, str]]) -> None:
        """INSERT (received_at, body) rows, pending, in the caller's transaction. Written
        by hand: the ORM's bulk_create costs several times the statement itself, and the
        web process writes thousands a second (group commit). The table name is our own
        model's, never input."""
        table = connection.ops.quote_name(cls._meta.db_table)
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (received_at, body, state, unknown_number, "  # noqa: S608
                "phone_number_ids, notes, attempts) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(adapt(at), body, cls.State.PENDING, False, "", "", 0) for at, body in rows],
            )


class InboundMessage(models.Model):
    """A citizen's WhatsApp message, once: the unique wamid makes duplicates harmless."""

    wamid = models.CharField(max_length=200, unique=True)
    delivery = models.ForeignKey(
        WebhookDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.ForeignKey(
        WhatsAppNumber, null=True, on_delete=models.PROTECT, related_name="inbound_messages"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="whatsapp_inbound"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    type = models.CharField(_("type"), max_length=40)
    sent_at = models.DateTimeField(_("sent"))
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    raw = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inbound WhatsApp message")
        verbose_name_plural = _("inbound WhatsApp messages")
        indexes = [
            # The 24-hour window: the contact's last message to this number.
            models.Index(fields=["number", "contact", "-sent_at"], name="inbound_window"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.wamid}"


class MessageStatus(models.Model):
    """A status webhook (sent, delivered, read, played, failed …), once per wamid and status.

    Stored even when nothing we sent matches yet: the send may be recorded after its statuses
    arrive, and then picks them up.
    """

    wamid = models.CharField(max_length=200)
    status = models.CharField(max_length=20)
    at = models.DateTimeField()
    recipient = models.CharField(max_length=200, blank=True)
    callback_data = models.CharField(max_length=512, blank=True, db_index=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_detail = models.CharField(max_length=500, blank=True)
    raw = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message status")
        verbose_name_plural = _("message statuses")
        constraints = [
            models.UniqueConstraint(fields=["wamid", "status"], name="unique_status_per_message")
        ]

    def __str__(self) -> str:
        return f"{self.wamid} {self.status}"


class OutboundMessage(models.Model):
    """The outbox: one row per message (or read receipt) to send to a WhatsApp user.

        queued ──► sending ──► sent ──► delivered ──► read
          ▲  ▲        │   │                       (statuses may arrive in any order; the
          │  └────────┘   └──► failed              highest one wins, failed only before
          │  retry (backoff)        │               delivery)
          └─────────────────────────┘ 131047: a template row replaces it (`replaces`)

    `sending` is set by compare-and-set before the HTTP call, with `biz_opaque_callback_data`
    = `idempotency_key`; a row a dead worker left in `sending` is settled by the status webhook
    carrying that key, and only re-queued when none arrives within the reconciliation window.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        READ = "read", _("read")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        BUTTONS = "buttons", _("reply buttons")
        MEDIA = "media", _("photo, document, audio or video")
        TEMPLATE = "template", _("template")
        READ_RECEIPT = "read_receipt", _("read receipt")

    class Purpose(models.TextChoices):
        ANSWER = "answer", _("answer")
        ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement")
        STATUS_UPDATE = "status_update", _("status update")
        RATING_REQUEST = "rating_request", _("rating request")
        NOTICE = "notice", _("notice")
        READ_RECEIPT = "read_receipt", _("read receipt")

    number = models.ForeignKey(
        WhatsAppNumber, on_delete=models.PROTECT, related_name="outbound_messages"
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    recipient_is_user_id = models.BooleanField(default=False)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="whatsapp_outbox"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="whatsapp_sends"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What to send (text, buttons, template parameters, an attachment, the wamid to mark read).
    content = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wamid = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # A media row's file as uploaded to Meta (POST /<PHONE_NUMBER_ID>/media): kept so a
    # retried send reuses it instead of uploading the file again.
    media_id = models.CharField(max_length=200, blank=True)
    # A row that replaces a failed one: the template after 131047, or a new send after an
    # accepted message failed for a reason worth retrying.
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The template a queued row waits for (not approved when it was due); released when
    # Meta approves it (wadul.whatsapp.outbound.message_templates).
    held_for_template = models.CharField(max_length=512, blank=True)

    class Meta:
        verbose_name = _("outbound WhatsApp message")
        verbose_name_plural = _("WhatsApp outbox")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"], name="outbox_due", condition=Q(state="queued")
            ),
            models.Index(
                fields=["claimed_at"], name="outbox_sending", condition=Q(state="sending")
            ),
            models.Index(fields=["number", "recipient", "-id"], name="outbox_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_state_display()})"


class MediaDownload(models.Model):
    """A photo, voice note, video or document to fetch from the Graph media endpoints."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    inbound = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="media")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    media_id = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    error = models.CharField(max_length=500, blank=True)
    attachment = models.ForeignKey(
        "cases.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("media download")
        verbose_name_plural = _("media downloads")
        indexes = [
            models.Index(fields=["next_attempt_at"], name="media_due", condition=Q(state="pending"))
        ]

    def __str__(self) -> str:
        return f"{self.media_id} ({self.get_state_display()})"


class SendPace(models.Model):
    """When a number may send its next message (per-number throughput, by scheduling)."""

    number = models.OneToOneField(WhatsAppNumber, on_delete=models.CASCADE, related_name="+")
    next_slot_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.number_id}: {self.next_slot_at:%H:%M:%S.%f}"


class RecipientPace(models.Model):
    """The pair-rate bucket of one number → one user (Meta: 45 in a burst, 1 back per 6 s)."""

    number = models.ForeignKey(WhatsAppNumber, on_delete=models.CASCADE, related_name="+")
    recipient = models.CharField(max_length=200)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["number", "recipient"], name="unique_recipient_pace")
        ]

    def __str__(self) -> str:
        return f"{self.number_id} → {self.recipient}: {self.tokens:.1f}"


class ProviderCall(models.Model):
    """Every HTTP call to the Graph API, with the access token redacted."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    url = models.CharField(max_length=500)
    request_body = models.TextField(blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("Graph API call")
        verbose_name_plural = _("Graph API calls")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.method} {self.url} → {self.status_code or self.error}"


class Alert(models.Model):
    """Something an administrator must look at: a blocked number, an expired token, a
    recipient who cannot be reached, webhooks for an unknown number. One open alert per
    kind, code and number; repeats raise its count."""

    class Kind(models.TextChoices):
        SEND_STOPPED = "send_stopped", _("sending stopped")
        TEMPLATE = "template", _("template problem")
        UNKNOWN_NUMBER = "unknown_number", _("webhook for an unknown number")
        PLATFORM_ERROR = "platform_error", _("error reported by WhatsApp")
        PROCESSING = "processing", _("webhook could not be processed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.IntegerField(_("error code"), null=True, blank=True)
    number = models.ForeignKey(
        WhatsAppNumber, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    count = models.PositiveIntegerField(_("times"), default=1)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("WhatsApp alert")
        verbose_name_plural = _("WhatsApp alerts")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.title


class MessageTemplate(models.Model):
    """A message template of the WhatsApp Business Account, as Meta last told us.

        (submitted) ──► pending ──► approved ◄──► paused
                           │           │
                           └─► rejected └──► disabled

    Only an approved template is ever sent (`outbound/message_templates.py`). Statuses come
    from `wadul whatsapp_templates push|sync` and from `message_template_status_update`
    webhooks; Meta's words we do not know are kept as they come, so nothing is sent with them.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        PAUSED = "paused", _("paused")
        DISABLED = "disabled", _("disabled")
        IN_APPEAL = "in_appeal", _("in appeal")
        PENDING_DELETION = "pending_deletion", _("pending deletion")
        DELETED = "deleted", _("deleted")
        ARCHIVED = "archived", _("archived")
        LIMIT_EXCEEDED = "limit_exceeded", _("limit exceeded")

    name = models.CharField(_("name"), max_length=512)
    language = models.CharField(_("language"), max_length=15)
    category = models.CharField(_("category"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=30, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    meta_id = models.CharField(_("Meta template ID"), max_length=64, blank=True)
    last_synced_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["name", "language"]
        constraints = [
            models.UniqueConstraint(fields=["name", "language"], name="template_name_language")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language}): {self.status}"

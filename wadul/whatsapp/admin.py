"""What administrators see of the WhatsApp channel: alerts first, then flagged deliveries
(unknown numbers, payloads not understood), the outbox and the provider log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.whatsapp.models import (
    Alert,
    InboundMessage,
    MediaDownload,
    MessageStatus,
    MessageTemplate,
    OutboundMessage,
    ProviderCall,
    WebhookDelivery,
)
from wadul.whatsapp.webhook import replay


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnly):
    list_display = ["title", "kind", "code", "number", "count", "last_seen_at", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter), "code"]
    search_fields = ["title", "detail", "reference"]
    actions = ["mark_resolved"]

    def has_change_permission(self, request, obj=None) -> bool:
        # Needed for the "resolved" action; every field stays read-only.
        return request.user.has_perm("whatsapp.change_alert")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Alert._meta.fields]

    @admin.action(description=_("Mark as resolved"))
    def mark_resolved(self, request, queryset) -> None:
        count = queryset.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        messages.success(request, _("%(count)d alerts resolved.") % {"count": count})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly):
    list_display = ["id", "received_at", "state", "unknown_number", "phone_number_ids", "attempts"]
    list_filter = ["state", "unknown_number"]
    search_fields = ["phone_number_ids", "notes", "body"]
    readonly_fields = [
        "received_at",
        "state",
        "unknown_number",
        "phone_number_ids",
        "attempts",
        "processed_at",
        "notes",
        "body",
    ]
    actions = ["replay_selected"]

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("whatsapp.change_webhookdelivery")

    @admin.action(description=_("Replay (process again)"))
    def replay_selected(self, request, queryset) -> None:
        count = replay.mark_for_replay(queryset)
        messages.success(request, _("%(count)d deliveries queued again.") % {"count": count})


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnly):
    list_display = ["wamid", "type", "outcome", "number", "case", "sent_at"]
    list_filter = ["type", "outcome", "number"]
    search_fields = ["wamid", "case__tracking_number"]
    raw_id_fields = ["delivery", "contact", "case", "message"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnly):
    list_display = [
        "id",
        "purpose",
        "kind",
        "state",
        "number",
        "case",
        "attempts",
        "next_attempt_at",
        "error_code",
    ]
    list_filter = ["state", "kind", "purpose", "number", "error_code"]
    search_fields = ["wamid", "recipient", "case__tracking_number", "idempotency_key"]
    raw_id_fields = ["contact", "case", "message", "replaces"]


@admin.register(MessageStatus)
class MessageStatusAdmin(ReadOnly):
    list_display = ["wamid", "status", "at", "error_code"]
    list_filter = ["status", "error_code"]
    search_fields = ["wamid", "callback_data"]


@admin.register(MediaDownload)
class MediaDownloadAdmin(ReadOnly):
    list_display = ["media_id", "mime_type", "state", "attempts", "case", "error"]
    list_filter = ["state"]
    raw_id_fields = ["inbound", "case", "message", "attachment"]


@admin.register(ProviderCall)
class ProviderCallAdmin(ReadOnly):
    list_display = ["at", "method", "url", "status_code", "duration_ms", "error"]
    list_filter = ["method", "status_code"]
    search_fields = ["url", "request_body", "response_body"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ReadOnly):
    """As Meta last said (`wadul whatsapp_templates sync` and the status webhooks)."""

    list_display = ["name", "language", "category", "status", "reason", "last_synced_at"]
    list_filter = ["status", "language"]
    search_fields = ["name"]

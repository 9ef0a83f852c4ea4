"""Operators' publication decisions in the admin: personal terms, private answers, photos."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wadul.cases.models import Attachment, Via
from wadul.portal import services
from wadul.portal.models import PersonalTerm, PhotoDecision, PrivateAnswer


@admin.register(PersonalTerm)
class PersonalTermAdmin(admin.ModelAdmin):
    list_display = ["term", "case", "created_by", "created_at"]
    search_fields = ["term", "case__tracking_number"]
    raw_id_fields = ["case"]
    fields = ["term", "case"]

    def save_model(self, request, obj: PersonalTerm, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PrivateAnswer)
class PrivateAnswerAdmin(admin.ModelAdmin):
    list_display = ["message", "reason", "created_by", "created_at"]
    raw_id_fields = ["message"]
    fields = ["message", "reason"]

    def save_model(self, request, obj: PrivateAnswer, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PhotoDecision)
class PhotoDecisionAdmin(admin.ModelAdmin):
    list_display = ["attachment", "approved", "decided_by", "decided_at"]
    list_filter = ["approved"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Files are read-only here; photos are approved for the portal with the actions."""

    list_display = [
        "pk",
        "case",
        "kind",
        "content_type",
        "size",
        "approved_for_public",
        "created_at",
    ]
    list_filter = ["kind", "approved_for_public"]
    search_fields = ["case__tracking_number"]
    readonly_fields = [f.name for f in Attachment._meta.fields]
    actions = ["approve", "keep_private"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _decide(self, request, queryset, approved: bool) -> None:
        done = 0
        for attachment in queryset.filter(kind=Attachment.Kind.IMAGE):
            services.approve_photo(attachment, actor=request.user, approved=approved, via=Via.ADMIN)
            done += 1
        messages.success(request, _("%(n)d photos updated.") % {"n": done})

    @admin.action(description=gettext_lazy("Approve selected photos for the portal"))
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, True)

    @admin.action(description=gettext_lazy("Keep selected photos private"))
    def keep_private(self, request, queryset) -> None:
        self._decide(request, queryset, False)

from django.contrib import admin

from wadul.privacy.models import AccessLog, BreachIncident, LegalHold, Restriction, RetentionRun


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "official", "case", "surface", "confidential", "detail"]
    list_filter = ["surface", "confidential"]
    raw_id_fields = ["official", "case"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # append-only


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ["case", "reason", "placed_at", "released_at"]
    raw_id_fields = ["case", "placed_by"]


@admin.register(BreachIncident)
class BreachIncidentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "since", "until", "official", "case"]
    readonly_fields = ["affected", "letter", "case"]
    raw_id_fields = ["official"]


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "dry_run", "results"]


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    """Read-only: placing and lifting go through the services, which record each case's event."""

    list_display = ["contact", "reason", "placed_at", "lifted_at"]
    raw_id_fields = ["contact", "placed_by", "lifted_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

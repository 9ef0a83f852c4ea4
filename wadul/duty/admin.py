from __future__ import annotations

from django.contrib import admin

from wadul.duty.models import DutyEvent, OnDutyShift


@admin.register(OnDutyShift)
class OnDutyShiftAdmin(admin.ModelAdmin):
    list_display = ["unit", "official", "weekday", "start_time", "end_time", "priority"]
    list_filter = ["weekday"]
    search_fields = ["unit__name", "official__username", "official__first_name"]
    raw_id_fields = ["unit", "official"]


@admin.register(DutyEvent)
class DutyEventAdmin(admin.ModelAdmin):
    """The log is written by `wadul.duty.services` only: read here, never edited."""

    list_display = ["at", "kind", "unit", "official", "actor", "via"]
    list_filter = ["kind", "via"]
    search_fields = ["unit__name", "official__username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from __future__ import annotations

from django.contrib import admin

from wadul.duty.models import OnDutyShift


@admin.register(OnDutyShift)
class OnDutyShiftAdmin(admin.ModelAdmin):
    list_display = ["unit", "official", "weekday", "start_time", "end_time", "priority"]
    list_filter = ["weekday"]
    search_fields = ["unit__name", "official__username", "official__first_name"]
    raw_id_fields = ["unit", "official"]

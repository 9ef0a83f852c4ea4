"""The clock in the admin: office hours, holidays and closures, targets, the ladder.

Saving any of them recomputes the open deadlines of the units concerned (see
`wadul.sla.signals`). Escalations and notifications are records: read only.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from wadul.sla import calendar as cal
from wadul.sla.models import (
    Closure,
    Escalation,
    EscalationStep,
    LocalHoliday,
    Notification,
    Schedule,
    ScheduleHours,
    Target,
    UnitSchedule,
)


class ScheduleHoursInline(admin.TabularInline):
    model = ScheduleHours
    extra = 0


class UnitScheduleInline(admin.TabularInline):
    model = UnitSchedule
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "always_open", "observes_holidays", "is_default"]
    inlines = [ScheduleHoursInline, UnitScheduleInline]


@admin.register(UnitSchedule)
class UnitScheduleAdmin(admin.ModelAdmin):
    list_display = ["unit", "schedule"]
    list_filter = ["schedule"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


@admin.register(LocalHoliday)
class LocalHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "unit"]
    date_hierarchy = "date"
    search_fields = ["name"]
    autocomplete_fields = ["unit"]
    change_list_template = "admin/sla/localholiday/change_list.html"

    def changelist_view(self, request, extra_context=None):
        # Show what the national calendar already closes, so nobody enters it twice.
        year = timezone.localdate().year
        national = [
            (day, name)
            for y in (year, year + 1)
            for day, name in sorted(cal.national_holidays(y).items())
        ]
        extra_context = {**(extra_context or {}), "national_holidays": national}
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "starts_at", "ends_at", "unit"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["unit"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "case_type",
        "unit",
        "first_response_minutes",
        "next_response_days",
        "resolution_days",
        "extension_days",
    ]
    list_filter = ["case_type"]
    autocomplete_fields = ["unit"]


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ["name", "applies_to", "offset_minutes", "recipients", "whatsapp", "is_active"]
    list_editable = ["is_active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["case", "deadline", "due_at", "step", "fire_at", "state", "fired_at"]
    list_filter = ["state", "deadline"]
    search_fields = ["case__tracking_number"]
    raw_id_fields = ["case"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "case", "kind", "whatsapp_requested", "read_at"]
    list_filter = ["kind", "whatsapp_requested"]
    search_fields = ["case__tracking_number", "recipient__username"]
    raw_id_fields = ["case", "event", "recipient"]
    fields = ["created_at", "recipient", "case", "kind", "deadline", "due_at", "text", "read_at"]
    readonly_fields = fields

from __future__ import annotations

from django.contrib import admin

from wadul.desa.models import LetterOffice, Service


@admin.register(LetterOffice)
class LetterOfficeAdmin(admin.ModelAdmin):
    list_display = ["unit", "number_format"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "fee", "target_hours", "signer", "delivery", "is_active"]
    list_filter = ["signer", "delivery", "needs_countersignature", "is_active"]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]

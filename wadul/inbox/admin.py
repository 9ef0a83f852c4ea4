from __future__ import annotations

from django.contrib import admin

from wadul.inbox.models import CannedAnswer


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "created_at"]
    search_fields = ["title", "body", "unit__name"]
    autocomplete_fields = ["unit"]

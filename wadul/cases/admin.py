"""Cases in the admin are for reading: state changes go through the inbox and services."""

from __future__ import annotations

from django.contrib import admin

from wadul.cases.models import Case, CaseEvent, Contact, ContactIdentity, Message


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "direction", "via", "author", "text", "delivery"]


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["at", "kind", "actor", "via", "from_status", "to_status", "from_unit", "to_unit"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["tracking_number", "type", "status", "unit", "channel", "created_at"]
    list_filter = ["status", "type", "channel", "visibility"]
    search_fields = ["tracking_number", "subject"]
    date_hierarchy = "created_at"
    inlines = [MessageInline, EventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


class IdentityInline(ReadOnlyInline):
    model = ContactIdentity


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["id", "display_name", "created_at"]
    search_fields = ["display_name", "identities__value"]
    inlines = [IdentityInline]

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from wadul.organisation.models import Official, Region, Unit, WhatsAppNumber


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "postal_code"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class WhatsAppNumberInline(admin.TabularInline):
    model = WhatsAppNumber
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    raw_id_fields = ["region"]
    inlines = [WhatsAppNumberInline]


@admin.register(Official)
class OfficialAdmin(UserAdmin):
    list_display = ["username", "full_name", "unit", "role", "is_active"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = UserAdmin.fieldsets + (
        (_("Wadul"), {"fields": ("unit", "role", "position", "whatsapp_number")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("Wadul"), {"fields": ("unit", "role", "position", "whatsapp_number")}),
    )

    # A named column: the bare method would be headed "Get full name", in English.
    @admin.display(description=_("name"), ordering="first_name")
    def full_name(self, official: Official) -> str:
        return official.get_full_name()


@admin.register(WhatsAppNumber)
class WhatsAppNumberAdmin(admin.ModelAdmin):
    list_display = ["display_number", "phone_number_id", "unit", "is_central", "coexistence"]
    list_filter = ["is_central", "coexistence", "is_active"]
    search_fields = ["display_number", "phone_number_id", "unit__name"]
    autocomplete_fields = ["unit"]

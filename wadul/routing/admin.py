from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Via
from wadul.routing import services
from wadul.routing.models import (
    DuplicateSuggestion,
    RegionBoundary,
    RemitRule,
    RoutingDecision,
    RoutingModel,
    RoutingRule,
    UnitTypeMapping,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "label", "unit", "priority", "is_active"]
    list_filter = ["is_active", "label"]
    list_editable = ["priority", "is_active"]
    search_fields = ["phrases", "note"]
    autocomplete_fields = ["unit"]


@admin.register(UnitTypeMapping)
class UnitTypeMappingAdmin(admin.ModelAdmin):
    list_display = ["label", "unit", "territorial", "note"]
    list_filter = ["territorial"]
    autocomplete_fields = ["unit"]


@admin.register(RemitRule)
class RemitRuleAdmin(admin.ModelAdmin):
    """This regency's owner of each contested topic; the next message follows an edit."""

    list_display = ["name", "label", "unit", "is_active", "updated_at"]
    list_editable = ["label", "unit", "is_active"]
    list_filter = ["is_active", "label"]
    search_fields = ["name", "topic", "phrases", "note"]
    autocomplete_fields = ["unit"]


@admin.register(RoutingModel)
class RoutingModelAdmin(ReadOnlyAdmin):
    list_display = [
        "version",
        "is_active",
        "seed_examples",
        "operator_examples",
        "training_seconds",
        "size",
        "created_at",
    ]
    exclude = ["artifact"]
    actions = ["activate"]

    @admin.action(description=_("Activate the selected model"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one model."), messages.ERROR)
            return
        model = queryset.get()
        model.activate()
        self.message_user(request, _("Model %(v)s is now active.") % {"v": model.version})


@admin.register(RoutingDecision)
class RoutingDecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "case",
        "action",
        "label",
        "unit",
        "confidence",
        "is_emergency",
        "is_spam",
        "is_outside",
        "region",
        "model_version",
        "created_at",
    ]
    list_filter = ["action", "label", "is_emergency", "is_spam", "is_outside"]
    search_fields = ["case__tracking_number", "model_version"]
    list_select_related = ["case", "unit", "region"]


@admin.register(DuplicateSuggestion)
class DuplicateSuggestionAdmin(ReadOnlyAdmin):
    list_display = ["case", "candidate", "score", "state", "created_at", "decided_by"]
    list_filter = ["state"]
    search_fields = ["case__tracking_number", "candidate__tracking_number"]
    list_select_related = ["case", "candidate", "decided_by"]
    actions = ["merge", "dismiss"]

    @admin.action(description=_("Merge into the older case"))
    def merge(self, request, queryset):
        done = 0
        for suggestion in queryset.filter(state=DuplicateSuggestion.State.OPEN):
            try:
                services.merge_duplicate(suggestion, actor=request.user, via=Via.ADMIN)
                done += 1
            except Exception as exc:  # noqa: BLE001 (the domain's message goes to the user)
                self.message_user(request, f"{suggestion}: {exc}", messages.ERROR)
        self.message_user(request, _("%(n)d case(s) merged.") % {"n": done})

    @admin.action(description=_("Not a duplicate"))
    def dismiss(self, request, queryset):
        for suggestion in queryset.filter(state=DuplicateSuggestion.State.OPEN):
            services.dismiss_duplicate(suggestion, actor=request.user)


@admin.register(RegionBoundary)
class RegionBoundaryAdmin(ReadOnlyAdmin):
    list_display = ["region", "source", "imported_at"]
    search_fields = ["region__name", "region__code"]
    exclude = ["geometry"]

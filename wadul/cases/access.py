"""Who may see and change which case — the one place scoping is decided.

staff and heads: cases of their unit and its sub-units. operators and admins: every case
and the triage queue. supervisors: read every case, change none. A confidential case hides
the reporter from everyone but operators and admins.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from wadul.cases import tracking
from wadul.cases.models import Case, Visibility
from wadul.organisation.models import Official, Unit


def visible_cases(official: Official) -> QuerySet[Case]:
    cases = Case.objects.all()
    if not official.is_active:
        return cases.none()
    if official.sees_all_cases:
        return cases
    if official.unit_id is None:
        return cases.none()
    # The subtree's ids as literals rather than a join on `path LIKE 'prefix%'`: the planner
    # cannot tell how many cases such a join keeps and, at a million cases, walked the whole
    # date index instead of the (unit, status, created_at) index. A unit tree is a few
    # hundred rows; this is one small indexed query.
    units = list(official.unit.subtree().values_list("pk", flat=True))
    return cases.filter(unit_id__in=units)


def get_case_or_404(official: Official, tracking_number: str) -> Case:
    """The case if this official may see it; 404 otherwise (never reveal that it exists)."""
    number = tracking.normalise(tracking_number)
    if number is None:
        raise Http404(_("No such case."))
    try:
        return visible_cases(official).select_related("unit", "contact").get(tracking_number=number)
    except Case.DoesNotExist:
        raise Http404(_("No such case.")) from None


def unit_covers(official: Official, unit: Unit) -> bool:
    """True if `unit` is the official's unit or one of its sub-units."""
    if official.unit_id is None:
        return False
    return unit.path.startswith(official.unit.path)


def can_see(official: Official, case: Case) -> bool:
    if not official.is_active:
        return False
    if official.sees_all_cases:
        return True
    return case.unit_id is not None and unit_covers(official, case.unit)


def can_act(official: Official, case: Case) -> bool:
    if not official.is_active:
        return False
    if official.can_act_on_all_cases:
        return True
    if official.role == Official.Role.SUPERVISOR:
        return False
    return can_see(official, case)


def can_see_identity(official: Official, case: Case) -> bool:
    if case.visibility == Visibility.CONFIDENTIAL:
        return official.sees_confidential_identity
    return can_see(official, case)


def reporter_label(official: Official, case: Case) -> str:
    """How the reporter is shown to this official."""
    if not can_see_identity(official, case):
        return _("Confidential reporter")
    if case.visibility == Visibility.ANONYMOUS:
        # Whoever owns a number given on an anonymous report stays unnamed.
        return _("Anonymous reporter")
    if case.contact is None:
        return _("Unknown")
    return case.contact.display_name or _("Citizen #%(id)s") % {"id": case.contact_id}

"""What every section of the case services shares: the errors, the delivery registry,
and the helpers that apply a status change, touch a case and add a message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import access, channels, events, kinds
from wadul.cases.channels import Notice
from wadul.cases.models import Case, CaseEvent, Message, Status
from wadul.organisation.models import Official, Unit

E = CaseEvent.Kind


class CaseError(Exception):
    """A request the domain refuses; the message is safe to show to the user."""


class IllegalTransition(CaseError):
    pass


class StaleCase(CaseError):
    """Someone else changed the case first (compare-and-set found another status)."""


# --- helpers ---------------------------------------------------------------------------------


def _ensure_can_act(actor: Official | None, case: Case) -> None:
    if actor is not None and not access.can_act(actor, case):
        raise PermissionDenied(_("You may not change this case."))


def _move(
    case: Case,
    to_status: str,
    kind: str,
    *,
    actor: Official | None,
    via: str,
    at: datetime | None = None,
    fields: dict[str, Any] | None = None,
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
    message: Message | None = None,
    **data: Any,
) -> CaseEvent:
    """Apply one status change with compare-and-set and record its event."""
    from_status = case.status
    if not kinds.get(case.type).can_move(from_status, to_status):
        raise IllegalTransition(
            _("A case that is %(from)s cannot become %(to)s.")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    now = at or timezone.now()
    changes = {"status": to_status, "updated_at": now, **(fields or {})}
    updated = Case.objects.filter(pk=case.pk, status=from_status).update(**changes)
    if updated != 1:
        raise StaleCase(_("The case was changed by someone else; reload and try again."))
    for name, value in changes.items():
        setattr(case, name, value)
    return events.record(
        case,
        kind,
        actor=actor,
        via=via,
        at=now,
        from_status=from_status,
        to_status=to_status,
        from_unit=from_unit,
        to_unit=to_unit,
        message=message,
        **data,
    )


def _touch(case: Case, at: datetime, **fields: Any) -> None:
    fields["updated_at"] = at
    Case.objects.filter(pk=case.pk).update(**fields)
    for name, value in fields.items():
        setattr(case, name, value)


def _new_message(
    case: Case,
    direction: str,
    text: str,
    *,
    author: Official | None,
    via: str,
    at: datetime,
    external_id: str = "",
    notice: Notice | None = None,
) -> Message:
    # The case's channel takes an outbound message inside this transaction (e.g. an outbox
    # row), so the message and its delivery commit together.
    outbound = direction == Message.Direction.OUTBOUND
    channel = channels.get(case.channel) if outbound else None
    delivery = Message.Delivery.PENDING if channel else Message.Delivery.NOT_APPLICABLE
    if outbound and events.is_historical():
        channel, delivery = None, Message.Delivery.READ
    message = Message.objects.create(
        case=case,
        direction=direction,
        text=text,
        author=author,
        via=via,
        created_at=at,
        external_id=external_id,
        delivery=delivery,
    )
    if channel is not None:
        channel.deliver(message, notice or Notice())
    return message


def _first_response_fields(case: Case, at: datetime) -> dict[str, Any]:
    return {} if case.first_response_at else {"first_response_at": at}

"""The only code that changes case state.

Every verb is atomic, takes a keyword-only `actor` (an Official, or None for the system or
the citizen) and `via` (the surface it came through), checks the state machine, applies the
change with compare-and-set on the status, and writes one event per change through
`wadul.cases.events.record`. Views, the WhatsApp processor, the API and the admin call these.

One module per section: opening, thread, handling, ending, attributes, contacts; `_common`
holds the errors and the helpers they share. Callers import the package:
`services.open_case(...)`.
"""

from __future__ import annotations

from wadul.cases.services._common import CaseError, IllegalTransition, StaleCase
from wadul.cases.services.attributes import (
    approve_attachment,
    set_location,
    set_priority,
    set_visibility,
)
from wadul.cases.services.contacts import merge_contacts
from wadul.cases.services.ending import close, rate, reopen, resolve
from wadul.cases.services.handling import (
    assign,
    mark_duplicate,
    refer_outside,
    reject,
    request_clarification,
    return_to_triage,
    start_work,
    transfer,
)
from wadul.cases.services.opening import historical_import, open_case, subject_from
from wadul.cases.services.thread import (
    ATTACHMENT_TYPES,
    add_attachment,
    add_note,
    answer,
    notify_citizen,
    receive_message,
    record_privacy_notice,
    set_delivery,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "CaseError",
    "IllegalTransition",
    "StaleCase",
    "add_attachment",
    "add_note",
    "approve_attachment",
    "answer",
    "assign",
    "close",
    "historical_import",
    "mark_duplicate",
    "merge_contacts",
    "notify_citizen",
    "open_case",
    "rate",
    "receive_message",
    "record_privacy_notice",
    "refer_outside",
    "reject",
    "reopen",
    "request_clarification",
    "resolve",
    "return_to_triage",
    "set_delivery",
    "set_location",
    "set_priority",
    "set_visibility",
    "start_work",
    "subject_from",
    "transfer",
]

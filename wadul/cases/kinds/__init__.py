"""Request kinds: every request from the public is a case of one kind.

A kind declares, in one place, what differs between kinds of request: its state machine,
the clock targets that apply when no `sla.Target` row says otherwise, what the intake
conversation must collect before the case exists, its publication policy and the documents
it produces. The conversation core, the inbox, the clock and the portal read the
declaration instead of special-casing a kind. Adding a kind is one module that builds a
`RequestKind` and one `register()` call (in its app's `ready()`).

This module imports no models, so `cases.models` can take its field choices from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class ClockTargets:
    """Defaults for `sla.Target`: first response in working minutes, next response,
    resolution and one extension in working days. The admin's Target rows win — except
    over `resolution_minutes_of(case)`, a kind's own per-case resolution target in working
    minutes (a village letter's service), when it gives one.

    `whole_days`: the resolution deadline is the close of business of the Nth whole working
    day after the day the clock started (a law that counts days, as UU 14/2008 does), not
    N standard days' worth of working minutes (which a short Friday would stretch)."""

    first_response_minutes: int = 120
    next_response_days: int = 1
    resolution_days: int = 5
    extension_days: int = 0
    resolution_minutes_of: Callable[[Any], int | None] | None = None
    whole_days: bool = False


NOT_A_PHOTO = (
    "Berkas ini bukan foto. Mohon kirim sebagai foto (dari kamera atau galeri), "
    "bukan dokumen PDF atau Word."
)
WRONG_FILE = "Jenis berkas ini tidak bisa diterima. Mohon kirim berkas yang diminta."


class InvalidAnswer(ValueError):
    """An intake answer the kind refuses; the message is shown to the citizen."""


@dataclass(frozen=True)
class IntakeField:
    """One thing the intake conversation asks for, one question at a time.

    `check` turns the citizen's text into the stored value or raises `InvalidAnswer` with
    what to fix (in Indonesian). `choices` (value, title) are offered as buttons or a list
    where the channel can show them; a reply must then be one of them. A `document` field
    is answered with a file (the channel stores it on the case when it opens); `accept`
    names the media types it takes by prefix ("image/"), when the channel knows the type."""

    name: str
    question: str | Promise
    type: str = "text"  # "text", "choice", "document", "location"
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    check: Callable[[str], str] | None = None
    accept: tuple[str, ...] = ()

    def clean(
        self,
        text: str,
        *,
        has_file: bool = False,
        has_location: bool = False,
        file_type: str = "",
    ) -> str:
        text = (text or "").strip()
        if self.type == "document":
            if not has_file:
                raise InvalidAnswer("Mohon kirim berkas atau foto yang diminta.")
            if self.accept and file_type and not file_type.lower().startswith(self.accept):
                raise InvalidAnswer(NOT_A_PHOTO if self.accept == ("image/",) else WRONG_FILE)
            return text or "[berkas]"
        if self.type == "location" and has_location:
            return text or "[lokasi]"
        if not text:
            if self.required:
                raise InvalidAnswer("Jawaban tidak boleh kosong.")
            return ""
        if self.choices:
            return self._choice(text)
        return self.check(text) if self.check else text[:2000]

    def _choice(self, text: str) -> str:
        folded = text.casefold()
        for index, (value, title) in enumerate(self.choices, start=1):
            if folded in (value.casefold(), str(title).casefold(), str(index)):
                return value
        options = ", ".join(f"{i}. {title}" for i, (_, title) in enumerate(self.choices, 1))
        raise InvalidAnswer(f"Pilih salah satu: {options}")


@dataclass(frozen=True)
class Publication:
    """What of a kind's cases the public sees. Personal data is masked in any case."""

    on_portal: bool = True
    in_open_data: bool = True


@dataclass(frozen=True)
class DocumentSpec:
    """A document the kind produces (a letter, a receipt …), by code and title."""

    code: str
    title: str | Promise


# The case statuses in which a case is still being handled (the inbox's actions are offered
# from these). Kept as plain strings so this module needs no models.
INTAKE = frozenset({"received", "triage"})
HANDLING = frozenset({"assigned", "in_progress", "waiting", "answered", "reopened"})


@dataclass(frozen=True)
class Action:
    """An inbox action: offered in a status when the kind's machine allows its move.

    `to` is the status the action moves to (None: no move, offered while the case is open);
    `from_phase` narrows where it starts (e.g. transfer only once the case is handled)."""

    to: str | None
    from_phase: frozenset[str] | None = None


# The inbox's actions and the moves they make; a kind's state machine decides which apply.
ACTIONS: dict[str, Action] = {
    "answer": Action(None),
    "clarify": Action("waiting"),
    "resolve": Action("resolved"),
    "close": Action("closed"),
    "reopen": Action("reopened"),
    "transfer": Action("assigned", HANDLING),
    "refer": Action("referred"),
    "merge": Action("merged"),
    "assign": Action("assigned"),
    "return_to_triage": Action("triage", HANDLING),
    "reject": Action("rejected"),
}


@dataclass(frozen=True)
class RequestKind:
    """The declaration of one kind of request (see the module docstring)."""

    code: str
    label: str | Promise
    transitions: Mapping[str, frozenset[str]]
    open_statuses: frozenset[str]
    clock: ClockTargets = ClockTargets()
    intake: tuple[IntakeField, ...] = ()
    publication: Publication = Publication()
    documents: tuple[DocumentSpec, ...] = ()
    # The first-contact menu: offered to citizens when set (title ≤ 24 characters).
    menu_title: str | Promise = ""
    menu_description: str | Promise = ""
    # What an acknowledgement calls the case ("laporan", "permohonan" …).
    noun: str | Promise = "laporan"
    # Whole messages that start this kind's intake whatever else is going on ("data saya"
    # while a complaint is open), lowercase with single spaces.
    keywords: tuple[str, ...] = ()
    # A kind whose questions depend on where and what was asked (a desa's own letter
    # services) gives them here instead of `intake`: called with the entry's unit and the
    # answers so far, it returns the whole list of fields, the answered ones first.
    intake_for: Callable[[Any, dict[str, str]], tuple[IntakeField, ...]] | None = None
    # Whether the kind is offered on an entry point (called with its unit, None for the
    # central number): a desa's letters only where a catalogue exists. None: everywhere.
    offered: Callable[[Any], bool] | None = None

    def offered_at(self, unit: Any) -> bool:
        return self.offered is None or self.offered(unit)

    def intake_fields(self, unit: Any, answers: dict[str, str]) -> tuple[IntakeField, ...]:
        """The questions of this kind's intake for `unit`, given the answers so far."""
        return self.intake_for(unit, answers) if self.intake_for else self.intake

    @property
    def has_intake(self) -> bool:
        return bool(self.intake or self.intake_for)

    # A citizen's text about an existing case of this kind, before the core appends or
    # reopens: (case, text, at) → the reply if the kind took the message (e.g. an objection
    # to an information request), None to leave it to the core.
    follow_up: Callable[[Any, str, Any], str | None] | None = None

    def can_move(self, from_status: str, to_status: str) -> bool:
        return to_status in self.transitions.get(from_status, frozenset())

    def is_open(self, status: str) -> bool:
        return status in self.open_statuses

    def offered_actions(self, status: str) -> set[str]:
        """The inbox actions whose move this kind's machine allows from `status`."""
        offered = set()
        for name, action in ACTIONS.items():
            if action.from_phase is not None and status not in action.from_phase:
                continue
            if action.to is None:
                if self.is_open(status):
                    offered.add(name)
            elif self.can_move(status, action.to):
                offered.add(name)
        return offered


_KINDS: dict[str, RequestKind] = {}
CODE = re.compile(r"^[a-z][a-z0-9_]{0,23}$")


def register(kind: RequestKind) -> RequestKind:
    """Make a kind known to every surface (idempotent for the same declaration)."""
    if not CODE.match(kind.code):
        raise ValueError(f"a kind's code is 1-24 lowercase letters, digits, _: {kind.code!r}")
    known = _KINDS.get(kind.code)
    if known is not None and known is not kind:
        raise ValueError(f"another kind is registered as {kind.code!r}")
    _KINDS[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    _KINDS.pop(code, None)


def get(code: str) -> RequestKind:
    """The kind with this code; an unknown code (a kind since removed) reads as a complaint,
    the most permissive machine, so old cases stay workable."""
    return _KINDS.get(code) or _KINDS["complaint"]


def all_kinds() -> list[RequestKind]:
    return list(_KINDS.values())


def menu_kinds() -> list[RequestKind]:
    """The kinds a citizen may choose in the first-contact menu."""
    return [kind for kind in _KINDS.values() if kind.menu_title]


def by_keyword(text: str) -> RequestKind | None:
    """The kind whose keyword the whole message is, if any."""
    folded = " ".join((text or "").casefold().split())
    return next((kind for kind in _KINDS.values() if folded in kind.keywords), None)


def conversational(code: str) -> RequestKind | None:
    """The kind registered under `code` if citizens can ask for it in a conversation (it
    has an intake or a menu entry); None for the generic kinds handled as complaints."""
    kind = _KINDS.get(code)
    return kind if kind is not None and (kind.has_intake or kind.menu_title) else None


def choices() -> list[tuple[str, str]]:
    """Field choices (Django accepts a callable: a new kind needs no migration)."""
    return [(kind.code, kind.label) for kind in _KINDS.values()]


def published_codes(*, open_data: bool = False) -> list[str]:
    """The kinds whose cases may appear on the portal (or in open data)."""
    return [
        kind.code
        for kind in _KINDS.values()
        if (kind.publication.in_open_data if open_data else kind.publication.on_portal)
    ]


def codes(kinds: Iterable[RequestKind]) -> list[str]:
    return [kind.code for kind in kinds]


# The built-in kinds (complaint, aspirasi and the two generic ones); other apps register
# theirs in their `ready()`.
from wadul.cases.kinds import complaint as _complaint  # noqa: E402,F401

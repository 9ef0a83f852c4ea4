"""How a case's outbound messages reach the citizen: one interface, one channel per code.

A channel (WhatsApp, the web portal, a test channel …) implements `CaseChannel` and
registers itself under the `Case.channel` values it carries, in its app's `ready()`. The
case verbs call `deliver()` for every outbound thread message, inside the transaction that
creates it, with a `Notice` that says what the message is for; nothing else travels
between the domain and the channel. The conversation core also `send()`s notices that
belong to no thread yet (a menu, an intake question, a status answer).

A channel that cannot take a message raises `TransportError`; `retry` says whether the
same message may succeed later (throttled, temporarily down) or never will (blocked,
unknown recipient).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from wadul.cases.models import Case, Message


class Purpose:
    """What a message to a citizen is for; it picks the approved template when a channel
    needs one (WhatsApp outside the 24-hour window)."""

    ANSWER = "answer"
    ACKNOWLEDGEMENT = "acknowledgement"
    STATUS_UPDATE = "status_update"
    RATING_REQUEST = "rating_request"
    NOTICE = "notice"


class TransportError(Exception):
    """A channel could not take a message; `retry` says whether it may work later."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Button:
    id: str
    title: str
    description: str = ""


@dataclass
class Notice:
    """What an outbound message is for, as plain values a channel renders.

    `template_params` fill the purpose's approved template (None: the tracking number and
    the text). `buttons` are quick replies; `choices` a longer list (a menu). A channel
    that cannot show them writes the titles out. `already_sent_id` marks a message that
    already reached the citizen (an official's echo from the Business app). `hold` keeps the
    message back: the caller sends it later with its file (still downloading)."""

    purpose: str = Purpose.ANSWER
    template_params: list[str] | None = None
    buttons: list[Button] = field(default_factory=list)
    choices: list[Button] = field(default_factory=list)
    choices_label: str = ""
    already_sent_id: str = ""
    hold: bool = False
    # The channel's handle for the citizen, when the caller has it already (it answers
    # the message that opened the case): saves the channel a lookup.
    address: Any = None
    # A file stored on the case (an `Attachment`) to send with the message: a letter, the
    # information requested. A channel that cannot carry files keeps it on the case page.
    attachment: Any = None


class CaseChannel(Protocol):
    """The interface every channel implements."""

    code: str

    def deliver(self, message: Message, notice: Notice) -> None:
        """Take one outbound thread message of a case (inside its transaction)."""

    def send(self, address: Any, text: str, notice: Notice) -> None:
        """Tell a citizen something outside any case's thread; `address` is what the
        channel put on the inbound message it answers."""

    def asks_for_rating(self, case: Case) -> bool:
        """Whether the citizen of `case` is asked to rate it (with buttons) when resolved."""


_CHANNELS: dict[str, CaseChannel] = {}


def register(channel: CaseChannel, *codes: str) -> None:
    """Carry the cases of these channel codes (default: the channel's own code)."""
    for code in codes or (channel.code,):
        _CHANNELS[code] = channel


def unregister(*codes: str) -> None:
    for code in codes:
        _CHANNELS.pop(code, None)


def get(code: str) -> CaseChannel | None:
    return _CHANNELS.get(code)


def carries(code: str) -> bool:
    return code in _CHANNELS

"""A citizen's message as the core sees it, whatever channel carried it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wadul.cases.models import Case, Contact, Message, Via
from wadul.organisation.models import Unit, WhatsAppNumber

VIA_OF_CHANNEL = {"whatsapp": Via.WHATSAPP, "web": Via.WEB, "api": Via.API}


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    name: str = ""
    address: str = ""

    @property
    def valid(self) -> bool:
        return -90 <= self.latitude <= 90 and -180 <= self.longitude <= 180


@dataclass(frozen=True)
class Entry:
    """Where the citizen wrote: the channel, the official number (its unit owns what
    arrives; the central number's cases go to triage) and that unit."""

    channel: str
    number: WhatsAppNumber | None = None
    unit: Unit | None = None


@dataclass(frozen=True)
class Inbound:
    """One message from a citizen.

    `address` is the channel's own handle for answering this citizen outside a case's
    thread (it comes back to `CaseChannel.send`). `text` is what staff read in the thread
    (a channel describes pins, contacts … in words). `reply_id` is a tapped button or list
    row. `unsupported` names a message type the channel could not read."""

    entry: Entry
    contact: Contact
    address: Any
    at: datetime
    text: str = ""
    external_id: str = ""
    location: Location | None = None
    has_file: bool = False
    # The file's media type as the channel reports it ("image/jpeg", "application/pdf").
    file_type: str = ""
    reply_id: str = ""
    unsupported: str = ""
    reaction: bool = False
    # What the citizen sent: "text" for typed words (only those can be commands).
    form: str = "text"

    @property
    def has_content(self) -> bool:
        return bool(self.text or self.has_file or self.location)

    @property
    def via(self) -> str:
        """The surface the citizen's action came through (events record it)."""
        return VIA_OF_CHANNEL.get(self.entry.channel, Via.SYSTEM)


@dataclass(frozen=True)
class Outcome:
    """What a message did: a word for the record, and the case and thread message it went to."""

    outcome: str
    case: Case | None = None
    message: Message | None = None

"""Read a WhatsApp Cloud API webhook payload into plain typed objects. Never raises.

Real traffic is messier than Meta's examples: every optional field is missing somewhere,
new fields appear without notice, the 2026 identity change (BSUID) drops `wa_id`/`from` for
users with a username. So every array is iterated, every field is optional, unknown fields
are ignored, and what cannot be understood is reported in `notes` (the delivery is then
flagged for replay) instead of raising.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Message types whose object carries a media id.
MEDIA_TYPES = frozenset({"image", "audio", "video", "document", "sticker"})
KNOWN_TYPES = MEDIA_TYPES | {
    "text",
    "location",
    "contacts",
    "interactive",
    "button",
    "reaction",
    "order",
    "unsupported",
    "unknown",
    "system",
    "request_welcome",
}
STATUS_VALUES = frozenset({"sent", "delivered", "read", "played", "failed", "deleted", "warning"})


@dataclass
class Identity:
    """Who a WhatsApp user is: phone-based wa_id and/or business-scoped user_id (BSUID)."""

    wa_id: str = ""
    user_id: str = ""
    parent_user_id: str = ""
    username: str = ""
    name: str = ""

    def __bool__(self) -> bool:
        return bool(self.wa_id or self.user_id)

    def merge(self, other: Identity) -> None:
        for name in ("wa_id", "user_id", "parent_user_id", "username", "name"):
            if not getattr(self, name) and getattr(other, name):
                setattr(self, name, getattr(other, name))


@dataclass
class ProviderError:
    code: int | None
    title: str = ""
    detail: str = ""

    def describe(self) -> str:
        text = self.detail or self.title
        return f"({self.code}) {text}" if self.code is not None else text


@dataclass
class Media:
    id: str
    mime_type: str = ""
    sha256: str = ""
    caption: str = ""
    filename: str = ""
    url: str = ""
    voice: bool = False
    animated: bool = False


@dataclass
class Location:
    latitude: float
    longitude: float
    name: str = ""
    address: str = ""
    url: str = ""


@dataclass
class SharedContact:
    name: str
    phones: list[str] = field(default_factory=list)


@dataclass
class Reply:
    """A tap: an interactive button or list reply, a template quick-reply, a Flow answer."""

    kind: str  # button_reply | list_reply | nfm_reply | template_button
    id: str = ""
    title: str = ""


@dataclass
class Reaction:
    message_id: str
    emoji: str = ""  # empty = the reaction was removed


@dataclass
class Context:
    from_: str = ""
    id: str = ""
    forwarded: bool = False
    frequently_forwarded: bool = False
    referred_product: dict[str, Any] | None = None


@dataclass
class InboundMessage:
    wamid: str
    type: str
    sender: Identity
    timestamp: datetime | None = None
    text: str = ""
    media: Media | None = None
    location: Location | None = None
    shared_contacts: list[SharedContact] = field(default_factory=list)
    reply: Reply | None = None
    reaction: Reaction | None = None
    context: Context | None = None
    referral: dict[str, Any] | None = None
    order: dict[str, Any] | None = None
    unsupported_type: str = ""
    errors: list[ProviderError] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class StatusUpdate:
    wamid: str
    status: str
    timestamp: datetime | None = None
    recipient: Identity = field(default_factory=Identity)
    callback_data: str = ""
    errors: list[ProviderError] = field(default_factory=list)
    pricing: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Echo:
    """A message the business sent from the WhatsApp Business app (coexistence)."""

    wamid: str
    to: Identity
    timestamp: datetime | None = None
    type: str = ""
    text: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class TemplateUpdate:
    """A `message_template_status_update`: Meta's verdict on one of the account's templates."""

    event: str
    name: str
    language: str
    template_id: str = ""
    reason: str = ""
    category: str = ""


@dataclass
class Change:
    field: str
    phone_number_id: str = ""
    display_phone_number: str = ""
    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    echoes: list[Echo] = field(default_factory=list)
    errors: list[ProviderError] = field(default_factory=list)
    template_updates: list[TemplateUpdate] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.messages or self.statuses or self.echoes or self.errors or self.template_updates
        )


@dataclass
class Payload:
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def understood(self) -> bool:
        return not self.notes


# --- entry point -----------------------------------------------------------------------------


def parse(body: str | bytes | dict[str, Any]) -> Payload:
    payload = Payload()
    try:
        data = json.loads(body) if isinstance(body, str | bytes) else body
    except ValueError as error:
        payload.notes.append(f"not JSON: {error}")
        return payload
    if not isinstance(data, dict):
        payload.notes.append("payload is not a JSON object")
        return payload
    if data.get("object") not in (None, "whatsapp_business_account"):
        payload.notes.append(f"unexpected object {data.get('object')!r}")
    entries = _list(data.get("entry"))
    if not entries:
        payload.notes.append("no entry")
    for entry_index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            payload.notes.append(f"entry[{entry_index}] is not an object")
            continue
        for change_index, raw_change in enumerate(_list(entry.get("changes"))):
            where = f"entry[{entry_index}].changes[{change_index}]"
            try:
                change = _change(raw_change, where, payload.notes)
            except Exception as error:  # noqa: BLE001 — a shape we did not foresee
                payload.notes.append(f"{where}: could not be read ({error!r})")
                continue
            if change is not None:
                payload.changes.append(change)
    return payload


# --- changes ---------------------------------------------------------------------------------


def _change(raw: Any, where: str, notes: list[str]) -> Change | None:
    if not isinstance(raw, dict):
        notes.append(f"{where} is not an object")
        return None
    name = _str(raw.get("field"))
    value = raw.get("value") if isinstance(raw.get("value"), dict) else {}
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    change = Change(
        field=name,
        phone_number_id=_str(metadata.get("phone_number_id")),
        display_phone_number=_str(metadata.get("display_phone_number")),
    )
    if name == "message_template_status_update":
        update = _template_update(value)
        if update is None:
            notes.append(f"{where}: a template update without event, name or language")
        else:
            change.template_updates.append(update)
        return change
    if name not in ("messages", "smb_message_echoes"):
        notes.append(f"{where}: field {name!r} is not handled")
        return change
    if not change.phone_number_id:
        notes.append(f"{where}: no metadata.phone_number_id")
    contacts = [_value_contact(c) for c in _list(value.get("contacts")) if isinstance(c, dict)]
    for index, item in enumerate(_list(value.get("messages"))):
        _guarded(notes, f"{where}.messages[{index}]", _message, item, contacts, change.messages)
    for index, item in enumerate(_list(value.get("statuses"))):
        _guarded(notes, f"{where}.statuses[{index}]", _status, item, contacts, change.statuses)
    for index, item in enumerate(_list(value.get("message_echoes"))):
        _guarded(notes, f"{where}.message_echoes[{index}]", _echo, item, contacts, change.echoes)
    change.errors = _errors(value.get("errors"))
    if change.is_empty:
        notes.append(f"{where}: nothing we understand in {sorted(value)}")
    return change


def _template_update(value: dict[str, Any]) -> TemplateUpdate | None:
    update = TemplateUpdate(
        event=_str(value.get("event")).upper(),
        name=_str(value.get("message_template_name")),
        language=_str(value.get("message_template_language")),
        template_id=_str(value.get("message_template_id")),
        reason=_str(value.get("reason")),
        category=_str(value.get("message_template_category")),
    )
    return update if update.event and update.name and update.language else None


def _guarded(notes: list[str], where: str, reader, item: Any, contacts, out: list) -> None:
    if not isinstance(item, dict):
        notes.append(f"{where} is not an object")
        return
    try:
        result, problem = reader(item, contacts)
    except Exception as error:  # noqa: BLE001
        notes.append(f"{where}: could not be read ({error!r})")
        return
    if problem:
        notes.append(f"{where}: {problem}")
    if result is not None:
        out.append(result)


def _value_contact(raw: dict[str, Any]) -> Identity:
    profile = raw.get("profile") if isinstance(raw.get("profile"), dict) else {}
    return Identity(
        wa_id=_str(raw.get("wa_id")),
        user_id=_str(raw.get("user_id")),
        parent_user_id=_str(raw.get("parent_user_id")),
        username=_str(profile.get("username") or raw.get("username")),
        name=_str(profile.get("name")),
    )


def _match_contact(identity: Identity, contacts: list[Identity]) -> None:
    """Fill a sender/recipient from `value.contacts` (name, the other kind of id)."""
    for contact in contacts:
        if (identity.wa_id and contact.wa_id == identity.wa_id) or (
            identity.user_id and contact.user_id == identity.user_id
        ):
            identity.merge(contact)
            return
    if len(contacts) == 1 and not identity:
        identity.merge(contacts[0])


# --- messages --------------------------------------------------------------------------------


def parse_message(raw: dict[str, Any]) -> InboundMessage | None:
    """One stored message (an `InboundMessage.raw`) read again."""
    return _message(raw, [])[0]


def _message(raw: dict[str, Any], contacts: list[Identity]) -> tuple[InboundMessage | None, str]:
    wamid = _str(raw.get("id"))
    if not wamid:
        return None, "message without id"
    sender = Identity(
        wa_id=_str(raw.get("from")),
        user_id=_str(raw.get("from_user_id")),
        parent_user_id=_str(raw.get("from_parent_user_id")),
    )
    _match_contact(sender, contacts)
    kind = _str(raw.get("type")) or _guess_type(raw)
    message = InboundMessage(
        wamid=wamid,
        type=kind,
        sender=sender,
        timestamp=_time(raw.get("timestamp")),
        raw=storable(raw),
    )
    problem = "" if sender else "message without sender (no from, from_user_id or contact)"
    body = raw.get(kind) if isinstance(raw.get(kind), dict) else {}
    if kind == "text":
        message.text = _str(body.get("body"))
    elif kind in MEDIA_TYPES:
        media_id = _str(body.get("id"))
        if media_id:
            message.media = Media(
                id=media_id,
                mime_type=_str(body.get("mime_type")),
                sha256=_str(body.get("sha256")),
                caption=_str(body.get("caption")),
                filename=_str(body.get("filename")),
                url=_str(body.get("url")),
                voice=bool(body.get("voice")),
                animated=bool(body.get("animated")),
            )
        else:
            problem = problem or f"{kind} without media id"
        message.text = _str(body.get("caption"))
    elif kind == "location":
        lat, lng = _float(body.get("latitude")), _float(body.get("longitude"))
        if lat is not None and lng is not None:
            message.location = Location(
                lat,
                lng,
                name=_str(body.get("name")),
                address=_str(body.get("address")),
                url=_str(body.get("url")),
            )
        else:
            problem = problem or "location without coordinates"
    elif kind == "contacts":
        for card in _list(raw.get("contacts")):
            if isinstance(card, dict):
                message.shared_contacts.append(_shared_contact(card))
    elif kind == "interactive":
        message.reply = _interactive(body)
        if message.reply is None:
            problem = problem or f"interactive type {_str(body.get('type'))!r} not understood"
        else:
            message.text = message.reply.title
    elif kind == "button":
        message.reply = Reply(
            "template_button", id=_str(body.get("payload")), title=_str(body.get("text"))
        )
        message.text = message.reply.title
    elif kind == "reaction":
        message.reaction = Reaction(_str(body.get("message_id")), _str(body.get("emoji")))
    elif kind == "order":
        message.order = body
        message.text = _str(body.get("text"))
    elif kind in ("unsupported", "unknown"):
        message.unsupported_type = _str(body.get("type"))
    elif kind not in KNOWN_TYPES:
        problem = problem or f"message type {kind!r} not understood"
    message.errors = _errors(raw.get("errors"))
    context = raw.get("context")
    if isinstance(context, dict):
        message.context = Context(
            from_=_str(context.get("from")),
            id=_str(context.get("id")),
            forwarded=bool(context.get("forwarded")),
            frequently_forwarded=bool(context.get("frequently_forwarded")),
            referred_product=context.get("referred_product")
            if isinstance(context.get("referred_product"), dict)
            else None,
        )
    if isinstance(raw.get("referral"), dict):
        message.referral = raw["referral"]
    return message, problem


def _guess_type(raw: dict[str, Any]) -> str:
    for kind in ("text", *sorted(MEDIA_TYPES), "location", "interactive", "button", "reaction"):
        if isinstance(raw.get(kind), dict):
            return kind
    return "unknown"


def _interactive(body: dict[str, Any]) -> Reply | None:
    kind = _str(body.get("type"))
    inner = body.get(kind) if isinstance(body.get(kind), dict) else None
    if inner is None:
        return None
    if kind in ("button_reply", "list_reply"):
        return Reply(kind, id=_str(inner.get("id")), title=_str(inner.get("title")))
    if kind == "nfm_reply":
        return Reply(kind, id=_str(inner.get("name")), title=_str(inner.get("body")))
    return None


def _shared_contact(card: dict[str, Any]) -> SharedContact:
    name = card.get("name") if isinstance(card.get("name"), dict) else {}
    formatted = _str(name.get("formatted_name")) or " ".join(
        part for part in (_str(name.get("first_name")), _str(name.get("last_name"))) if part
    )
    phones = [
        _str(phone.get("phone") or phone.get("wa_id"))
        for phone in _list(card.get("phones"))
        if isinstance(phone, dict)
    ]
    return SharedContact(formatted, [p for p in phones if p])


# --- statuses and echoes ---------------------------------------------------------------------


def _status(raw: dict[str, Any], contacts: list[Identity]) -> tuple[StatusUpdate | None, str]:
    wamid, status = _str(raw.get("id")), _str(raw.get("status")).lower()
    if not wamid or not status:
        return None, "status without id or status"
    recipient = Identity(
        wa_id=_str(raw.get("recipient_id")), user_id=_str(raw.get("recipient_user_id"))
    )
    _match_contact(recipient, contacts)
    update = StatusUpdate(
        wamid=wamid,
        status=status,
        timestamp=_time(raw.get("timestamp")),
        recipient=recipient,
        callback_data=_str(raw.get("biz_opaque_callback_data")),
        errors=_errors(raw.get("errors")),
        pricing=_pricing(raw),
        raw=storable(raw),
    )
    problem = "" if status in STATUS_VALUES else f"status value {status!r} not understood"
    return update, problem


def _pricing(raw: dict[str, Any]) -> dict[str, Any]:
    """Old (CBP, conversation-based) and new (PMP, per-message) shapes, normalised."""
    pricing = raw.get("pricing") if isinstance(raw.get("pricing"), dict) else {}
    conversation = raw.get("conversation") if isinstance(raw.get("conversation"), dict) else {}
    origin = conversation.get("origin") if isinstance(conversation.get("origin"), dict) else {}
    result = {
        "model": _str(pricing.get("pricing_model")),
        "category": _str(pricing.get("category") or origin.get("type")),
        "type": _str(pricing.get("type")),
    }
    if "billable" in pricing:
        result["billable"] = bool(pricing.get("billable"))
    if conversation.get("id"):
        result["conversation"] = _str(conversation.get("id"))
    return {k: v for k, v in result.items() if v not in ("", None)}


def _echo(raw: dict[str, Any], contacts: list[Identity]) -> tuple[Echo | None, str]:
    wamid = _str(raw.get("id"))
    if not wamid:
        return None, "echo without id"
    to = Identity(wa_id=_str(raw.get("to")), user_id=_str(raw.get("to_user_id")))
    _match_contact(to, contacts)
    kind = _str(raw.get("type")) or _guess_type(raw)
    body = raw.get(kind) if isinstance(raw.get(kind), dict) else {}
    text = _str(body.get("body") or body.get("caption"))
    echo = Echo(wamid=wamid, to=to, timestamp=_time(raw.get("timestamp")), type=kind, text=text)
    echo.raw = storable(raw)
    return echo, "" if to else "echo without recipient"


# --- small readers ---------------------------------------------------------------------------


def storable(value: Any) -> Any:
    """The same JSON without NUL characters (PostgreSQL's jsonb refuses them)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    return value


def _errors(raw: Any) -> list[ProviderError]:
    errors = []
    for item in _list(raw):
        if not isinstance(item, dict):
            continue
        data = item.get("error_data") if isinstance(item.get("error_data"), dict) else {}
        code = item.get("code")
        errors.append(
            ProviderError(
                code=int(code) if isinstance(code, int | str) and str(code).isdigit() else None,
                title=_str(item.get("title") or item.get("message")),
                detail=_str(data.get("details")),
            )
        )
    return errors


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    # PostgreSQL text cannot hold NUL; nobody means to send one.
    return str(value).replace("\x00", "").strip()


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN


def _time(value: Any) -> datetime | None:
    try:
        seconds = int(float(value))
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None

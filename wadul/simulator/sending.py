"""Validation of a send request, as Meta answers it: error 100 with a `details` sentence."""

from __future__ import annotations

from typing import Any

from wadul.simulator.payloads import GraphError

MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
TYPES = ("text", "template", "interactive", "location", "contacts", "reaction", *MEDIA_TYPES)
INTERACTIVE_TYPES = (
    "button",
    "list",
    "cta_url",
    "product",
    "product_list",
    "flow",
    "location_request_message",
)


def _require(condition: bool, details: str) -> None:
    if not condition:
        raise GraphError(100, details)


def _text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def validate_message(body: dict[str, Any], *, media: dict[str, Any]) -> tuple[str, dict, str]:
    """Check a message send; return (type, the type's object, recipient as given)."""
    recipient = body.get("to") or body.get("recipient")
    _require(
        isinstance(recipient, str | int) and str(recipient).strip() != "",
        "The parameter to is required.",
    )
    _require(
        body.get("recipient_type", "individual") == "individual",
        "Param recipient_type must be individual.",
    )
    kind = body.get("type", "text")  # Meta defaults the type to text
    _require(kind in TYPES, f"Param type must be one of {{{', '.join(TYPES)}}}.")
    content = body.get(kind)
    _require(
        isinstance(content, dict | list) and bool(content), f"The parameter {kind} is required."
    )
    context = body.get("context")
    if context is not None:
        _require(
            isinstance(context, dict) and isinstance(context.get("message_id"), str),
            "Param context['message_id'] must be a string.",
        )
    opaque = body.get("biz_opaque_callback_data")
    if opaque is not None:
        _require(
            isinstance(opaque, str) and len(opaque) <= 512,
            "Param biz_opaque_callback_data must be a string of at most 512 characters.",
        )
    VALIDATORS.get(kind, lambda c, m: None)(content, media)
    return kind, content, str(recipient).strip()


def _validate_text(content: dict[str, Any], media) -> None:
    body = content.get("body")
    _require(
        isinstance(body, str) and body.strip() != "", "The parameter text['body'] is required."
    )
    _require(len(body) <= 4096, "Param text['body'] must be at most 4096 characters long.")


def _validate_template(content: dict[str, Any], media) -> None:
    _require(_text(content.get("name"), 512), "The parameter template['name'] is required.")
    language = content.get("language")
    _require(
        isinstance(language, dict) and _text(language.get("code"), 16),
        "The parameter template['language']['code'] is required.",
    )
    components = content.get("components", [])
    _require(isinstance(components, list), "Param template['components'] must be an array.")
    for component in components:
        _require(
            isinstance(component, dict)
            and component.get("type")
            in ("header", "body", "footer", "button", "buttons", "carousel", "limited_time_offer"),
            "Param template['components'][]['type'] is invalid.",
        )
        if component.get("type") == "button":
            _require(
                component.get("sub_type") is not None and component.get("index") is not None,
                "Button components need sub_type and index.",
            )
        for param in component.get("parameters") or []:
            _require(
                isinstance(param, dict) and isinstance(param.get("type"), str),
                "Param template['components'][]['parameters'][]['type'] is required.",
            )


def _validate_interactive(content: dict[str, Any], media) -> None:
    kind = content.get("type")
    _require(
        kind in INTERACTIVE_TYPES,
        f"Param interactive['type'] must be one of {{{', '.join(INTERACTIVE_TYPES)}}}.",
    )
    action = content.get("action")
    _require(isinstance(action, dict), "The parameter interactive['action'] is required.")
    if kind in ("button", "list", "cta_url"):
        text = (content.get("body") or {}).get("text")
        _require(_text(text, 1024), "The parameter interactive['body']['text'] is required.")
    if kind == "button":
        buttons = action.get("buttons")
        _require(
            isinstance(buttons, list) and 1 <= len(buttons) <= 3,
            "Param interactive['action']['buttons'] must have between 1 and 3 items.",
        )
        ids = set()
        for button in buttons:
            reply = button.get("reply") if isinstance(button, dict) else None
            _require(
                isinstance(reply, dict) and button.get("type") == "reply",
                "Each button needs type 'reply' and a reply object.",
            )
            _require(_text(reply.get("id"), 256), "Param reply['id'] is required.")
            _require(
                _text(reply.get("title"), 20),
                "Param reply['title'] must be between 1 and 20 characters long.",
            )
            _require(reply["id"] not in ids, "Button ids must be unique.")
            ids.add(reply["id"])
    elif kind == "list":
        _require(
            _text(action.get("button"), 20),
            "Param interactive['action']['button'] must be between 1 and 20 characters.",
        )
        sections = action.get("sections")
        _require(
            isinstance(sections, list) and 1 <= len(sections) <= 10,
            "Param interactive['action']['sections'] must have between 1 and 10 items.",
        )
        rows = [row for s in sections if isinstance(s, dict) for row in s.get("rows") or []]
        _require(1 <= len(rows) <= 10, "A list message must have between 1 and 10 rows in total.")
        for row in rows:
            _require(
                isinstance(row, dict) and _text(row.get("id"), 200),
                "Param rows[]['id'] is required.",
            )
            _require(
                _text(row.get("title"), 24),
                "Param rows[]['title'] must be between 1 and 24 characters long.",
            )
    elif kind == "cta_url":
        params = action.get("parameters") or {}
        _require(
            _text(params.get("display_text"), 20) and _text(params.get("url"), 2000),
            "cta_url needs action['parameters'] display_text and url.",
        )


def _validate_media(kind: str):
    def validate(content: dict[str, Any], media) -> None:
        has_id, has_link = "id" in content, "link" in content
        _require(has_id != has_link, f"Param {kind} must have exactly one of id or link.")
        if has_id:
            _require(str(content["id"]) in media, f"Param {kind}['id'] is not a valid media id.")
        else:
            link = content["link"]
            _require(
                isinstance(link, str) and link.startswith(("http://", "https://")),
                f"Param {kind}['link'] must be a URL.",
            )
        caption = content.get("caption")
        if caption is not None:
            _require(kind not in ("audio", "sticker"), f"Param {kind} does not take a caption.")
            _require(_text(caption, 1024), "Param caption must be at most 1024 characters long.")

    return validate


def _validate_location(content: dict[str, Any], media) -> None:
    for key in ("latitude", "longitude"):
        try:
            float(content.get(key))
        except (TypeError, ValueError):
            raise GraphError(100, f"The parameter location['{key}'] is required.") from None


def _validate_reaction(content: dict[str, Any], media) -> None:
    _require(
        isinstance(content.get("message_id"), str),
        "The parameter reaction['message_id'] is required.",
    )
    _require(isinstance(content.get("emoji", ""), str), "Param reaction['emoji'] must be a string.")


def _validate_contacts(content: Any, media) -> None:
    _require(isinstance(content, list), "Param contacts must be an array.")


VALIDATORS = {
    "text": _validate_text,
    "template": _validate_template,
    "interactive": _validate_interactive,
    "location": _validate_location,
    "reaction": _validate_reaction,
    "contacts": _validate_contacts,
    **{kind: _validate_media(kind) for kind in MEDIA_TYPES},
}

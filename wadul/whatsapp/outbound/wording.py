"""Words Wadul sends to citizens on WhatsApp, from `templates/whatsapp/*.txt` (Indonesian)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render(name: str, **context: Any) -> str:
    """Render `whatsapp/<name>.txt` in Indonesian, whatever language the caller runs in."""
    with translation.override("id"):
        text = render_to_string(f"whatsapp/{name}.txt", context)
    # Templates keep one blank line between paragraphs; drop the rest of the layout's
    # whitespace so the message reads as written.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()

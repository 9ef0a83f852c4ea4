"""The one renderer of words Wadul sends to people: citizens on WhatsApp, officials on their
own WhatsApp, the clock's notices. Each text lives in a template (`<app>/templates/<app>/*.txt`,
written in Indonesian) and is rendered in the recipient's language, whatever language the
calling process or request runs in."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_text(
    template_name: str, language: str = "id", *, fold: bool = True, **context: Any
) -> str:
    """Render `template_name` in `language` (Indonesian unless said otherwise).

    With `fold` (messages to citizens), a template's layout whitespace goes: trailing spaces,
    and every blank line beyond one between paragraphs, so the message reads as written.
    Without it the text is only stripped at both ends (templates that lay out every line
    themselves)."""
    with translation.override(language):
        text = render_to_string(template_name, context)
    if not fold:
        return text.strip()
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()

"""Words Wadul sends to citizens on WhatsApp, from `templates/whatsapp/*.txt` (Indonesian)."""

from __future__ import annotations

from typing import Any

from wadul.core.texts import render_text


def render(name: str, **context: Any) -> str:
    """Render `whatsapp/<name>.txt` in Indonesian, whatever language the caller runs in."""
    return render_text(f"whatsapp/{name}.txt", **context)

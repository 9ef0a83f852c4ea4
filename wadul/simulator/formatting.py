"""WhatsApp's text formatting as the phone shows it: *bold*, _italic_, ~strike~, ```mono```.

The text is escaped first, so a citizen's or an official's text can never inject markup;
only the four markers become tags. Like WhatsApp, a marker pair must hug its text (no space
just inside) and must not sit inside a word.
"""

from __future__ import annotations

import re
from html import escape

from django.utils.safestring import SafeString, mark_safe

_MONO = re.compile(r"```(.+?)```", re.DOTALL)
_SPANS = [
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), "strong"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), "em"),
    (re.compile(r"(?<![\w~])~(?=\S)(.+?)(?<=\S)~(?![\w~])"), "s"),
]


def whatsapp_html(text: str | None) -> SafeString:
    """HTML for a WhatsApp text: escaped, its formatting markers as tags, line breaks kept."""
    html = escape(text or "", quote=True)
    # Monospace first, and its content left alone (WhatsApp does not format inside it).
    pieces = _MONO.split(html)
    out = []
    for n, piece in enumerate(pieces):
        if n % 2:
            out.append(f"<code>{piece}</code>")
            continue
        for pattern, tag in _SPANS:
            piece = pattern.sub(rf"<{tag}>\1</{tag}>", piece)
        out.append(piece)
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 (escaped above)

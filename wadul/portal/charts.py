"""Small charts drawn on the server as SVG (no JavaScript, no build step)."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from wadul.core import formats

WIDTH, HEIGHT, PAD = 640, 180, 28


def bars(
    labels: list[str],
    values: list[float],
    *,
    label: str,
    unit: str = "",
    line: list[float] | None = None,
) -> SafeString:
    """A bar chart of `values`, with an optional second series as a line (0–1 shares)."""
    n = max(len(values), 1)
    top = max(values, default=0) or 1
    slot = (WIDTH - 2 * PAD) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'class="axis"/>',
        f'<text x="{PAD}" y="12">{escape(_fmt(top))}{escape(unit)}</text>',
    ]
    for i, (name, value) in enumerate(zip(labels, values, strict=False)):
        h = (HEIGHT - 2 * PAD) * (value / top)
        x = PAD + i * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" class="bar"><title>{escape(name)}: {escape(_fmt(value))}'
            f"{escape(unit)}</title></rect>"
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - PAD + 12}" text-anchor="middle">'
            f"{escape(name)}</text>"
        )
    if line:
        points = " ".join(
            f"{PAD + i * slot + slot / 2:.1f},{HEIGHT - PAD - (HEIGHT - 2 * PAD) * (v or 0):.1f}"
            for i, v in enumerate(line)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="#f2b705" stroke-width="2.5"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def _fmt(value: float) -> str:
    return formats.number(value, 0 if value >= 10 or value == int(value) else 1)

"""Template filters for `wadul.core.formats`, loaded on every template (settings builtins)."""

from __future__ import annotations

from django import template

from wadul.core import formats

register = template.Library()

register.filter("duration", formats.duration)
register.filter("shorten", formats.shorten)
register.filter("percent", formats.percent)


@register.filter
def number(value, decimals: int = 0) -> str:
    return formats.number(value, int(decimals))

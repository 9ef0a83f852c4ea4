from __future__ import annotations

from django import template

from wadul.portal.pdf import _minutes, _rating, _share

register = template.Library()


@register.filter
def minutes(value: float | None) -> str:
    """Working minutes as "1 hari 21 jam" (`wadul.core.formats.duration`)."""
    return _minutes(value)


@register.filter
def share(value: float | None) -> str:
    return _share(value)


@register.filter
def rating(value: float | None) -> str:
    return _rating(value)

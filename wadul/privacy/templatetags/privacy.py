"""`{% dpo_name %}`: the data protection officer named in notices and on the privacy page."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def dpo_name() -> str:
    return settings.PRIVACY_DPO_NAME

from __future__ import annotations

from django import template

from wadul.simulator.formatting import whatsapp_html

register = template.Library()
register.filter("whatsapp", whatsapp_html)

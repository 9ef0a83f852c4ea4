"""`wadul check --deploy`: what a production install must have besides Django's own
deployment checks (HTTPS, cookies, HSTS, secret key, DEBUG), which run beside these."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def register() -> None:
    checks.register(check_deploy, checks.Tags.security, deploy=True)


def check_deploy(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []

    def warn(message: str, hint: str, number: int) -> None:
        found.append(checks.Warning(message, hint=hint, id=f"wadul.ops.W{number:03d}"))

    if urlsplit(settings.SITE_URL).scheme != "https":
        warn(
            f"SITE_URL is {settings.SITE_URL!r}, not an https:// address.",
            "Links in WhatsApp messages, feeds and QR codes point at SITE_URL.",
            1,
        )
    if not set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS:
        warn(
            "ALLOWED_HOSTS names only this machine.",
            "Set it to the public host name(s), e.g. ALLOWED_HOSTS=wadul.example.go.id.",
            2,
        )
    if not settings.TRUSTED_PROXIES:
        warn(
            "TRUSTED_PROXIES is 0.",
            "Behind Caddy set TRUSTED_PROXIES=1 (one proxy): without it HTTPS requests look "
            "like HTTP and every client seems to come from the proxy's address.",
            3,
        )
    if not settings.METRICS_TOKEN and not settings.METRICS_ALLOWED_IPS:
        warn(
            "/metrics answers nobody: METRICS_TOKEN and METRICS_ALLOWED_IPS are empty.",
            "Set METRICS_TOKEN and give Prometheus the same bearer token.",
            4,
        )
    elif settings.METRICS_TOKEN and len(settings.METRICS_TOKEN) < 24:
        warn("METRICS_TOKEN is shorter than 24 characters.", "Use a random token.", 5)
    if urlsplit(settings.WHATSAPP_GRAPH_URL).scheme != "https":
        warn(
            f"WHATSAPP_GRAPH_URL is {settings.WHATSAPP_GRAPH_URL!r}, not an https:// address.",
            "In production it is https://graph.facebook.com (the simulator is for tests).",
            6,
        )
    return found

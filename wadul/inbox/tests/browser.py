"""Helpers for the inbox's browser tests: Debian's Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from wadul import testing

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = Path(settings.PROJECT_DIR) / "var" / "screenshots"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", testing.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/inbox/**")


def htmx_idle(page) -> None:
    """Wait until htmx has finished swapping and has bound the new content.

    htmx binds the `hx-*` attributes of swapped-in content in its settle step, a moment
    after the new HTML is visible: a change made in that moment (say, picking a canned
    answer) reaches an element nothing listens to yet.
    """
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    page.wait_for_function(f"() => !document.querySelector('{busy}')")


def screenshot(page, name: str) -> None:
    """The current page at phone and desktop width, under var/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


def watch_csp(page, violations: list[str]) -> None:
    """Collect the browser's Content-Security-Policy refusals on `page` into `violations`."""

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)

"""A citizen reports from a phone-sized browser with a photo and a map point, then tracks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections
from pytest_django.live_server_helper import LiveServer

from wadul import testing
from wadul.cases.models import Case
from wadul.portal.tests.conftest import png_bytes
from wadul.simulator.testing import free_port

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.fixture
def server(transactional_db, settings):
    settings.PORTAL_REPORTS_PER_HOUR = 100

    live = LiveServer(f"127.0.0.1:{free_port()}")
    live._live_server_modified_settings.enable()
    yield live.url
    live._live_server_modified_settings.disable()
    live.stop()


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the test
    # itself are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = testing.launch_chromium(p)
        yield chromium
        chromium.close()
        # Playwright runs the test in a greenlet, which Django gives its own database
        # connection: close it, or it blocks dropping the test database.
        connections.close_all()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_reports_with_a_photo_and_a_map_point_and_tracks_it(
    server, browser, regions, tmp_path
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    photo = tmp_path / "jalan.png"
    photo.write_bytes(png_bytes(40, 30))
    page = browser.new_page(viewport={"width": 360, "height": 740})
    errors = []
    page.on("console", lambda m: errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/lapor/")
    page.get_by_label("Laporan Anda").fill("Jalan di depan balai desa berlubang besar sejak Mei.")
    page.set_input_files("#id_photos", str(photo))
    picker = page.locator("#picker")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.6, "y": box["height"] * 0.3})
    assert page.input_value("#id_latitude") and page.input_value("#id_longitude"), errors
    page.get_by_label("Nomor WhatsApp untuk kabar terbaru (boleh kosong)").fill("0812 3456 7890")
    page.screenshot(path=str(SCREENSHOTS / "portal-report-360.png"), full_page=True)
    page.get_by_role("button", name="Kirim laporan").click()

    page.wait_for_selector("#tracking-number")
    number = page.inner_text("#tracking-number")
    private_url = page.input_value("#private-url")
    page.screenshot(path=str(SCREENSHOTS / "portal-received-360.png"), full_page=True)
    case = Case.objects.get(tracking_number=number)
    assert case.latitude is not None and case.longitude is not None
    assert -8.4 < case.latitude < -8.1 and 114.1 < case.longitude < 114.4
    assert case.attachments.count() == 1 and case.channel == "web"
    assert private_url.endswith(f"/k/{case.access_token}/")

    page.goto(f"{server}/")
    page.get_by_label("Nomor tiket").fill(number.lower().replace("-", " "))
    page.get_by_role("button", name="Lacak").click()
    page.wait_for_url(f"**/lacak/{number}/")
    assert number in page.inner_text("main") and "0812" not in page.content()
    # The report form, its map picker and the tracking page work under the CSP.
    assert not [e for e in errors if "Content Security Policy" in e], errors

    desktop = browser.new_page(viewport={"width": 1280, "height": 900})
    desktop.goto(private_url)
    assert "Jalan di depan balai desa" in desktop.inner_text("main")
    assert desktop.locator("img.photo").count() == 1
    desktop.screenshot(path=str(SCREENSHOTS / "portal-private-desktop.png"), full_page=True)

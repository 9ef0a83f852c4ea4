"""What a pilot regency sees first, in a real browser at 360 px and at desktop width: the
home page, /lapor/ with its map picker, /statistik/ with its map (drawn from the demo's
shipped boundaries, no tile server), a case page, and the phone page with a formatted
acknowledgement. Screenshots go to var/screenshots/pilot-*.png."""

from __future__ import annotations

import pytest
from django.db import connections

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Via, Visibility
from wadul.demo.boundaries import load_boundaries
from wadul.inbox.tests.browser import PHONE, screenshot
from wadul.organisation.models import Region
from wadul.organisation.regions import import_regions
from wadul.portal.tests.test_browser_report import server  # noqa: F401 (fixture)
from wadul.simulator.testing import free_port, running_simulator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = testing.launch_chromium(p)
        yield chromium
        chromium.close()
        connections.close_all()


@pytest.fixture
def regency_with_cases(transactional_db):
    import_regions("35.10")
    load_boundaries()
    regency = testing.create_unit("Pemkab Banyuwangi", kind="regency", code="PEMKAB")
    desk = testing.create_unit(
        "Command Centre", kind="central_desk", parent=regency, code="PENGADUAN"
    )
    roads = testing.create_unit("Dinas PU Cipta Karya", parent=regency, code="DPU")
    testing.create_number(desk, "1001", display_number="+62 811-3500-112", is_central=True)
    testing.create_number(roads, "1002", display_number="+62 811-3500-201")
    official = testing.create_official("pu", unit=roads)
    kemiren = Region.objects.get(code="35.10.12.2006")
    published = None
    for n, text in enumerate(
        ["Jalan depan SD Kemiren berlubang parah, sudah dua bulan", "Lampu PJU mati", "Selokan"]
    ):
        case = testing.create_case(unit=roads, region=kemiren, text=text)
        services.answer(case, text="Sudah kami perbaiki", actor=official, via=Via.INBOX)
        if n == 0:
            services.set_visibility(
                case, visibility=Visibility.PUBLIC, actor=official, via=Via.INBOX
            )
            services.resolve(case, actor=official, via=Via.INBOX)
            published = case
    return published


WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.closest('.chart-wrap, .table-wrap'))
  .map(e => e.tagName + '.' + e.className).slice(0, 5)"""


def no_sideways_scroll(page) -> bool:
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert fits, page.evaluate(WIDE)
    return fits


def test_the_public_pages_at_360_px_and_desktop(server, browser, regency_with_cases):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )

    page.goto(f"{server}/")
    assert page.locator("main a.button", has_text="Lapor").first.is_visible()
    assert page.locator('a[href="https://wa.me/628113500112"]').count() == 1
    assert no_sideways_scroll(page)
    screenshot(page, "pilot-home")

    page.goto(f"{server}/lapor/")
    picker = page.locator("#picker")
    assert picker.locator("path.map-outline").count() == 25  # every kecamatan outlined
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.55, "y": box["height"] * 0.35})
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert -8.9 < latitude < -7.7 and 113.8 < longitude < 114.7
    assert page.locator("#picker-pin").get_attribute("cx") != "-10"
    assert not page.locator("#id_latitude").is_visible()  # the boxes are the no-JS fallback
    assert no_sideways_scroll(page)
    screenshot(page, "pilot-lapor")

    page.goto(f"{server}/statistik/")
    assert page.locator("#peta svg.map path.map-area").count() == 25
    # Every column is readable on a phone: the "answered within target" figure included.
    assert (
        page.get_by_text("Dijawab tepat target").first.is_visible()
        or page.locator("td[data-label]").first.is_visible()
    )
    assert no_sideways_scroll(page)
    screenshot(page, "pilot-statistik")

    page.goto(f"{server}/kasus/{regency_with_cases.tracking_number}/")
    assert "Jalan depan SD Kemiren" in page.inner_text("main")
    assert no_sideways_scroll(page)
    screenshot(page, "pilot-case")
    assert not errors, errors


def test_the_phone_page_shows_a_formatted_acknowledgement(browser):
    with running_simulator(
        webhook_url="http://127.0.0.1:9/none", app_secret="s", access_token="t", port=free_port()
    ) as sim:
        sim.register_number("1001", "+62 811-3500-112")
        # The citizen writes first, so the 24-hour window is open for a free-text answer.
        sim.inbound(phone_number_id="1001", **{"from": "6281234567890"}, text="Jalan berlubang")
        ack = (
            "Terima kasih, laporan Anda sudah kami terima.\n"
            "Nomor laporan: *E747-DBGX*\n"
            "_Simpan nomor ini_ untuk cek status: ```status E747-DBGX```"
        )
        sim.client.post(
            "/v25.0/1001/messages",
            headers={"Authorization": "Bearer t"},
            json={
                "messaging_product": "whatsapp",
                "to": "6281234567890",
                "type": "text",
                "text": {"body": ack},
            },
        )
        sim.wait_idle()
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{sim.base_url}/phone?me=6281234567890&biz=1001&name=Siti")
        bubble = page.locator(".bubble", has_text="E747-DBGX")
        assert bubble.locator("strong", has_text="E747-DBGX").is_visible()
        assert bubble.locator("em", has_text="Simpan nomor ini").is_visible()
        assert bubble.locator("code", has_text="status E747-DBGX").is_visible()
        assert "*E747-DBGX*" not in bubble.inner_text()
        assert bubble.locator(".ticks").count() == 0
        screenshot(page, "pilot-phone")

"""The main inbox flows in a real browser, one test per role, plus the by-URL denial.

The first flow goes over the wire: the citizen writes from the WhatsApp simulator, the app
(pytest-django's live server) receives the webhook, the worker runs in this process, and the
answer typed in the browser arrives in the simulator, which sends read receipts back.
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Message, Status, Via
from wadul.inbox.models import CannedAnswer
from wadul.inbox.tests.browser import PHONE, htmx_idle, log_in, screenshot, watch_csp
from wadul.simulator.testing import free_port, running_simulator
from wadul.whatsapp.testing import WEBHOOK_PATH, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CENTRAL_PNID = "110000000000001"
CITIZEN = "6281234500077"


@pytest.fixture(autouse=True)
def _sync_playwright_and_django():
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = testing.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def simulator(live_server, settings, central_desk):
    settings.WHATSAPP_APP_SECRET = "inbox-test-secret"
    settings.WHATSAPP_ACCESS_TOKEN = "inbox-test-token"
    settings.WHATSAPP_VERIFY_TOKEN = "inbox-test-verify"
    with running_simulator(
        webhook_url=live_server.url + WEBHOOK_PATH,
        app_secret=settings.WHATSAPP_APP_SECRET,
        access_token=settings.WHATSAPP_ACCESS_TOKEN,
        port=free_port(),
    ) as sim:
        settings.WHATSAPP_GRAPH_URL = sim.base_url
        sim.register_number(CENTRAL_PNID, "+62 811-3500-112")
        testing.create_number(central_desk, CENTRAL_PNID, is_central=True)
        sim.configure(auto_read_after_ms=20)
        yield sim


def settle(sim) -> None:
    run_worker(seconds=15, settle=lambda: sim.wait_idle(5))


def sent_to_citizen(sim) -> list[dict]:
    messages = sim.control("conversations", phone_number_id=CENTRAL_PNID, user=CITIZEN)
    return [m for m in messages["messages"] if m["direction"] == "outbound"]


UNLABELLED_CONTROLS = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea')]
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
  .map(e => e.id || e.name)"""


CSP_VIOLATIONS: list[str] = []


@pytest.fixture(autouse=True)
def _no_csp_violations():
    # Every flow runs under the Content-Security-Policy: htmx swaps, the forms, the maps.
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == []


def new_page(browser, width=PHONE["width"], height=PHONE["height"]):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    watch_csp(page, CSP_VIOLATIONS)
    return page


def test_triage_assign_reply_over_whatsapp_resolve_and_rating(
    browser, live_server, simulator, operator, official_a, unit_a
):
    simulator.inbound(
        phone_number_id=CENTRAL_PNID,
        **{"from": CITIZEN},
        name="Siti Rahayu",
        type="text",
        text="Jalan di depan SD Kemiren berlubang, mohon ditambal",
    )
    settle(simulator)
    case = Case.objects.get()
    assert case.status == Status.TRIAGE
    CannedAnswer.objects.create(
        unit=unit_a, title="Dijadwalkan", body="Yth. {nama}, laporan {nomor_tiket} dijadwalkan."
    )
    base = live_server.url

    desk = new_page(browser, 1280, 800)
    log_in(desk, base, "olga")
    expect(desk.locator(".queue.current")).to_contain_text("Triase")
    screenshot(desk, "inbox-list-operator")
    desk.click(f"text={case.tracking_number}")
    expect(desk.locator("#case-title")).to_contain_text("triase")
    screenshot(desk, "case-triage-operator")
    desk.select_option("#assign-unit", str(unit_a.pk))
    desk.click("details[open] form:has(#assign-unit) button")
    expect(desk.locator("#case-title .status")).to_have_text("didisposisikan")
    assert Case.objects.get(pk=case.pk).unit == unit_a

    phone = new_page(browser)
    log_in(phone, base, "alice")
    phone.click(f"text={case.tracking_number}")
    phone.click("button[value=assign_me]")
    expect(phone.locator(".case-head")).to_contain_text("ditugaskan ke Alice")
    htmx_idle(phone)
    phone.select_option("#canned-choice", label="Dijadwalkan")
    expect(phone.locator("#reply-text")).to_have_value(
        f"Yth. Siti Rahayu, laporan {case.tracking_number} dijadwalkan."
    )
    expect(phone.locator("#reply-mode")).to_contain_text("teks bebas")
    phone.fill("#reply-text", "Tim Bina Marga menambal besok pagi.")
    phone.click("button[value=answer]")
    expect(phone.locator(".msg-outbound").last).to_contain_text("menambal besok pagi")

    # The worker sends it; the simulator (Meta) receives it and reports it read.
    settle(simulator)
    received = [m for m in sent_to_citizen(simulator) if "menambal besok pagi" in m["text"]]
    assert len(received) == 1 and received[0]["type"] == "text"
    sent = Message.objects.get(case=case, text="Tim Bina Marga menambal besok pagi.")
    assert sent.delivery == Message.Delivery.READ and sent.via == Via.INBOX
    expect(phone.locator(".msg-outbound .tick-read").last).to_be_visible(timeout=12_000)
    screenshot(phone, "case-answered-staff")

    phone.click("summary:has-text('Selesaikan')")
    phone.fill("#resolve-note", "Sudah ditambal")
    phone.click("form:has(#resolve-note) button")
    expect(phone.locator("#case-title .status")).to_have_text("selesai")

    # The citizen taps the first rating button in WhatsApp.
    settle(simulator)
    question = sent_to_citizen(simulator)[-1]
    assert question["type"] == "interactive"
    first_button = question["content"]["action"]["buttons"][0]["reply"]
    simulator.inbound(
        phone_number_id=CENTRAL_PNID,
        **{"from": CITIZEN},
        type="interactive",
        interactive_type="button_reply",
        reply=first_button,
        context_id=question["wamid"],
    )
    settle(simulator)
    assert Case.objects.get(pk=case.pk).rating == 5
    phone.reload()
    phone.click("summary:has-text('Rincian')")
    expect(phone.locator(".facts")).to_contain_text("5/5")


def test_staff_pause_with_a_question_see_the_reply_arrive_and_transfer(
    browser, live_server, official_a, unit_a, unit_b, citizen
):
    case = testing.create_case(unit=unit_a, contact=citizen, text="Sampah menumpuk di pasar")
    page = new_page(browser)
    log_in(page, live_server.url, "alice")
    assert page.evaluate(UNLABELLED_CONTROLS) == []  # the list and its filters
    page.goto(f"{live_server.url}/inbox/kasus/{case.tracking_number}/")
    assert page.evaluate(UNLABELLED_CONTROLS) == []  # every action form of the case page
    # Keyboard only: type, Tab to "send" (focus visibly outlined), Enter.
    page.focus("#reply-text")
    page.keyboard.type("Baik, kami cek dulu.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "answer"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(page.locator(".msg-outbound").last).to_contain_text("Baik, kami cek dulu.")
    page.click("summary:has-text('Minta klarifikasi')")
    page.fill("#clarify-text", "Pasar yang mana, Bu?")
    page.click("form:has(#clarify-text) button")
    expect(page.locator("#case-title .status")).to_have_text("menunggu warga")
    expect(page.locator("#case-title .clock")).to_have_text("dijeda")
    assert Case.objects.get(pk=case.pk).status == Status.WAITING

    # The citizen answers; the page shows it without a reload (polling every 5 s).
    services.receive_message(Case.objects.get(pk=case.pk), text="Pasar Genteng, Pak")
    expect(page.locator(".msg-inbound").last).to_contain_text("Pasar Genteng", timeout=12_000)
    expect(page.locator("#case-title .status")).to_have_text("diproses")
    screenshot(page, "case-thread-staff")

    page.click("summary:has-text('Alihkan ke unit lain')")
    page.select_option("#transfer-unit", str(unit_b.pk))
    page.fill("#transfer-reason", "Pasar dikelola Dinkes")
    page.click("form:has(#transfer-reason) button")
    page.wait_for_url(re.compile(r"/inbox/$"))
    expect(page.locator(".flash")).to_contain_text("Dialihkan ke Dinas Kesehatan")
    assert Case.objects.get(pk=case.pk).unit == unit_b


def test_head_merges_a_duplicate_and_reads_the_board(
    browser, live_server, head_a, official_a, unit_a
):
    first = testing.create_case(unit=unit_a, text="Lampu PJU mati di Jalan Brawijaya")
    second = testing.create_case(unit=unit_a, text="PJU Jalan Brawijaya padam")
    services.assign(first, actor=head_a, via=Via.INBOX, official=official_a)
    page = new_page(browser, 1280, 800)
    log_in(page, live_server.url, "hadi")
    page.fill("input[name=q]", "Brawijaya")
    page.keyboard.press("Enter")
    expect(page.locator(".cases .tn")).to_have_count(2)
    screenshot(page, "inbox-search-head")
    page.click(f"text={second.tracking_number}")
    page.click("summary:has-text('Gabungkan duplikat')")
    page.fill("#merge-survivor", first.tracking_number)
    page.click("form:has(#merge-survivor) button")
    expect(page.locator("#case-title .status")).to_have_text("digabung (duplikat)")
    assert Case.objects.get(pk=second.pk).duplicate_of_id == first.pk

    page.click("nav.subnav >> text=Papan")
    expect(page.locator(".tiles")).to_contain_text("kasus terbuka")
    screenshot(page, "board-head")


def test_staff_cannot_open_another_units_case_by_url(browser, live_server, official_b, case_a):
    page = new_page(browser)
    log_in(page, live_server.url, "bob")
    response = page.goto(f"{live_server.url}/inbox/kasus/{case_a.tracking_number}/")
    assert response.status == 404
    assert case_a.subject not in page.content()


def test_pages_send_a_content_security_policy_and_work_under_it(
    browser, live_server, operator, unit_a
):
    case = testing.create_case(unit=unit_a, text="Jalan berlubang di depan pasar")
    page = new_page(browser)
    for path in ("/", "/lapor/", "/kasus/", "/statistik/", "/data/"):
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
    # An injected inline script would not run.
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.injected") is None
    assert any("inline script" in v for v in CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()
    # htmx works under it: the case page's note form swaps in the new note.
    log_in(page, live_server.url, "olga")
    page.goto(f"{live_server.url}/inbox/kasus/{case.tracking_number}/")
    htmx_idle(page)
    page.fill("#reply-text", "Catatan untuk tim.")
    page.click("button[value=note]")
    expect(page.locator(".msg-note").last).to_contain_text("Catatan untuk tim.")

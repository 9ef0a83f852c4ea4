"""The main inbox flows in a real browser, one test per role, plus the by-URL denial.

The WhatsApp outbox and simulator are not on this branch yet: the flow checks the outbound
message the inbox hands to the channel (the Message row, delivery pending when a channel
deliverer is registered).
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Channel, Message, Status, Via
from wadul.inbox.models import CannedAnswer
from wadul.inbox.tests.browser import PHONE, launch, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def new_page(browser, width=PHONE["width"], height=PHONE["height"]):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    return context.new_page()


def test_operator_triages_staff_answer_resolve_and_the_citizen_rates(
    browser, live_server, operator, official_a, unit_a, citizen
):
    case = testing.create_case(
        unit=None,
        contact=citizen,
        channel=Channel.WHATSAPP,
        text="Jalan di depan SD Kemiren berlubang, mohon ditambal",
    )
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
    phone.select_option("#canned-choice", label="Dijadwalkan")
    expect(phone.locator("#reply-text")).to_have_value(
        f"Yth. Siti Rahayu, laporan {case.tracking_number} dijadwalkan."
    )
    expect(phone.locator("#reply-mode")).to_contain_text("teks bebas")
    phone.fill("#reply-text", "Tim Bina Marga menambal besok pagi.")
    phone.click("button[value=answer]")
    expect(phone.locator(".msg-outbound")).to_contain_text("menambal besok pagi")
    screenshot(phone, "case-answered-staff")
    sent = Message.objects.get(case=case, direction=Message.Direction.OUTBOUND)
    assert sent.text == "Tim Bina Marga menambal besok pagi." and sent.via == Via.INBOX

    phone.click("summary:has-text('Selesaikan')")
    phone.fill("#resolve-note", "Sudah ditambal")
    phone.click("form:has(#resolve-note) button")
    expect(phone.locator("#case-title .status")).to_have_text("selesai")
    services.rate(Case.objects.get(pk=case.pk), rating=5, via=Via.WHATSAPP)
    phone.reload()
    phone.click("summary:has-text('Rincian')")
    expect(phone.locator(".facts")).to_contain_text("5/5")


def test_staff_pause_with_a_question_see_the_reply_arrive_and_transfer(
    browser, live_server, official_a, unit_a, unit_b, citizen
):
    case = testing.create_case(unit=unit_a, contact=citizen, text="Sampah menumpuk di pasar")
    page = new_page(browser)
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/inbox/kasus/{case.tracking_number}/")
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

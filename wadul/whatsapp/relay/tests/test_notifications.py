from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Via, Visibility
from wadul.whatsapp.relay.notifications import case_notification
from wadul.whatsapp.relay.services import unit_number


def test_new_case_notification_has_what_the_official_needs(unit_a, citizen):
    desa = testing.create_region(
        "35.10.15.2004", "Kemiren", parent=testing.create_region("35.10.15", "Glagah")
    )
    case = testing.create_case(
        unit=unit_a, contact=citizen, region=desa, text="Jalan depan SD Kemiren berlubang parah"
    )
    now = timezone.now()
    case.first_response_due_at = now + timedelta(minutes=95)
    text = case_notification(case, reason="new", now=now, message=case.messages.first())
    assert case.tracking_number in text
    assert "Kasus baru" in text and "pengaduan" in text
    assert "Desa Kemiren, Kec. Glagah" in text
    assert "Jalan depan SD Kemiren berlubang parah" in text
    assert "sisa 1 jam 35 menit" in text
    assert "Siti Rahayu (+6281234567890)" in text


def test_confidential_case_never_shows_the_citizens_number(unit_a, citizen):
    case = testing.create_case(unit=unit_a, contact=citizen, visibility=Visibility.CONFIDENTIAL)
    text = case_notification(
        case, reason="follow_up", now=timezone.now(), message=case.messages.first()
    )
    assert "6281234567890" not in text and "Siti" not in text
    assert "rahasia" in text


def test_late_case_says_by_how_much(unit_a):
    case = testing.create_case(unit=unit_a)
    now = timezone.now()
    case.first_response_due_at = now - timedelta(hours=3, minutes=5)
    text = case_notification(case, reason="transferred_in", now=now)
    assert "terlambat 3 jam 5 menit" in text and "dialihkan ke unit Anda" in text


def test_a_unit_speaks_from_its_own_number_else_its_nearest_ancestors(regency, unit_a):
    bidang = testing.create_unit("Bidang Bina Marga", parent=unit_a, code="DPU-BM")
    seksi = testing.create_unit("Seksi Jalan", parent=bidang, code="DPU-BM-J")
    central = testing.create_number(regency, "100000000000001", is_central=True)
    assert unit_number(seksi) == central
    dpu = testing.create_number(unit_a, "100000000000002")
    assert unit_number(seksi) == dpu
    own = testing.create_number(bidang, "100000000000003")
    testing.create_number(bidang, "100000000000004")
    assert unit_number(seksi) == own == unit_number(bidang)
    assert unit_number(unit_a) == dpu


def test_a_follow_up_notice_quotes_the_complaint_and_the_latest_message(unit_a, citizen):
    case = testing.create_case(
        unit=unit_a, contact=citizen, text="Lampu PJU di perempatan Kemiren mati seminggu"
    )
    case.latitude, case.longitude = -8.2135, 114.3542
    latest = services.receive_message(case, text="📍 Perempatan Kemiren", via=Via.WHATSAPP)
    with translation.override("id"):  # the language whose decimal comma broke the link
        text = case_notification(case, reason="follow_up", now=timezone.now(), message=latest)
    assert 'Laporan: "Lampu PJU di perempatan Kemiren mati seminggu"' in text
    assert 'Pesan terbaru: "📍 Perempatan Kemiren"' in text
    assert "mlat=-8.213500&mlon=114.354200" in text and "-8,21" not in text


def test_a_new_case_notice_quotes_the_complaint_once(unit_a, citizen):
    case = testing.create_case(unit=unit_a, contact=citizen, text="Jalan berlubang di Kemiren")
    text = case_notification(case, reason="new", now=timezone.now(), message=case.messages.first())
    assert text.count("Jalan berlubang di Kemiren") == 1 and "Pesan terbaru" not in text


def test_the_notice_is_plain_text_not_html(unit_a, citizen):
    case = testing.create_case(unit=unit_a, contact=citizen, text='Got & "selokan" <mampet>')
    text = case_notification(case, reason="new", now=timezone.now(), message=case.messages.first())
    assert 'Got & "selokan" <mampet>' in text and "&amp;" not in text

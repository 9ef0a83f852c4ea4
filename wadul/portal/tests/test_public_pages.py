"""Tracking, the private page, the public list and case page, photos: what each may show."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Via
from wadul.portal import services as portal_services
from wadul.portal.masking import NAME, PHONE


def test_tracking_by_number_shows_status_but_no_text_or_identity(client, published_case):
    page = client.get(f"/lacak/{published_case.tracking_number}/").content.decode()
    assert published_case.tracking_number in page and "Dinas PU" in page
    assert "Siti" not in page and "0812" not in page and "berlubang" not in page
    assert f"/kasus/{published_case.tracking_number}/" in page


def test_tracking_an_unknown_number_is_404(client, db):
    assert client.get("/lacak/AAAA-BBBB/").status_code == 404
    assert client.get("/lacak/not-a-number/").status_code == 404


def test_the_private_link_shows_the_whole_thread_but_no_notes(client, published_case, official_a):
    answer = published_case.messages.get(direction="outbound")
    portal_services.keep_answer_private(
        answer, actor=testing.create_official("op", unit=None, role="operator")
    )
    response = client.get(f"/k/{published_case.access_token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "0812-3456-7890" in page  # the reporter's own words, unmasked
    assert "penambalan minggu ini" in page  # the private answer too
    assert "Catatan internal" not in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_an_unknown_private_link_is_404(client, db):
    assert client.get("/k/6f1c1b2e-0000-4000-8000-000000000000/").status_code == 404


def test_the_public_case_page_masks_everything_personal(client, published_case):
    page = client.get(f"/kasus/{published_case.tracking_number}/").content.decode()
    assert "berlubang" in page and "penambalan minggu ini" in page
    assert "Siti" not in page and "Rahayu" not in page
    assert "3456" not in page and "421234" not in page
    assert PHONE in page and NAME in page
    assert "Catatan internal" not in page


def test_a_number_cut_by_the_subject_is_masked_in_the_subject_too(client, unit_a):
    # The subject is the report's first line, cut at 120 characters: the NIK runs over the
    # line break, the phone number over the cut.
    nik = testing.create_case(unit=unit_a, text="Tolong, NIK saya 3510 0123\n4567 8901 ditolak")
    phone = testing.create_case(unit=unit_a, text="x" * 110 + " HP 0812 3456 7890 ya")
    for case in (nik, phone):
        assert client.get(f"/kasus/{case.tracking_number}/").context["subject"]
        for url in (f"/kasus/{case.tracking_number}/", "/kasus/", "/data/kasus.csv"):
            response = client.get(url)
            body = (
                b"".join(response.streaming_content) if response.streaming else response.content
            ).decode()
            assert "0123" not in body and "0812" not in body, url
    assert client.get("/kasus/", {"q": "0123"}).context["rows"] == []


def test_automatic_notices_are_not_published_as_answers(client, published_case, pln):
    services.notify_citizen(published_case, text="Terima kasih, laporan Anda sudah kami terima.")
    services.notify_citizen(published_case, text="Bagaimana penilaian Anda atas penanganannya?")
    referred = testing.create_case(unit=None, text="Listrik padam tiga hari di dusun kami")
    # The router refers without an official: the referral is still the case's answer.
    services.refer_outside(
        referred, institution=pln, note="Silakan hubungi PLN 123.", actor=None, via=Via.SYSTEM
    )
    page = client.get(f"/kasus/{published_case.tracking_number}/").content.decode()
    feed = client.get("/data/jawaban.atom").content.decode()
    for body in (page, feed):
        assert "penambalan minggu ini" in body
        assert "sudah kami terima" not in body and "penilaian Anda" not in body
    assert "Silakan hubungi PLN" in feed
    assert (
        "Silakan hubungi PLN" in client.get(f"/kasus/{referred.tracking_number}/").content.decode()
    )


def test_a_private_answer_is_not_on_the_public_page(client, published_case, operator):
    answer = published_case.messages.get(direction="outbound")
    portal_services.keep_answer_private(answer, actor=operator)
    page = client.get(f"/kasus/{published_case.tracking_number}/").content.decode()
    assert "penambalan" not in page


def test_an_operator_marked_name_is_masked(client, published_case, operator):
    services.answer(
        published_case,
        text="Sudah koordinasi dengan Pak Joko Susilo.",
        actor=operator,
        via=Via.INBOX,
    )
    portal_services.mark_personal("Joko Susilo", actor=operator, case=published_case)
    page = client.get(f"/kasus/{published_case.tracking_number}/").content.decode()
    assert "Joko" not in page and NAME in page


def test_a_globally_marked_term_is_masked_in_every_case(client, published_case, operator):
    portal_services.mark_personal("Kemiren", actor=operator)
    page = client.get(f"/kasus/{published_case.tracking_number}/").content.decode()
    assert "berlubang" in page and "SD Kemiren" not in page


def test_only_operators_mark_terms(published_case, official_a):
    with pytest.raises(PermissionDenied):
        portal_services.mark_personal("Joko", actor=official_a)


def test_private_confidential_triage_and_spam_cases_are_not_published(client, unit_a, operator):
    hidden = [
        testing.create_case(unit=unit_a, visibility="private", text="privat satu dua tiga"),
        testing.create_case(unit=unit_a, visibility="confidential", text="rahasia satu dua"),
        testing.create_case(unit=None, text="masih triase satu dua"),
    ]
    spam = testing.create_case(unit=unit_a, text="spam spam spam spam")
    services.reject(spam, reason="spam", actor=operator, via=Via.INBOX)
    hidden.append(spam)
    listing = client.get("/kasus/").content.decode()
    for case in hidden:
        assert case.tracking_number not in listing
        assert client.get(f"/kasus/{case.tracking_number}/").status_code == 404


def test_an_anonymous_case_is_published_without_identity(client, unit_a):
    reporter = testing.create_contact("Bambang Pamungkas", wa_id="6281299998888")
    case = testing.create_case(
        unit=unit_a, contact=reporter, visibility="anonymous", text="Saya Bambang, sampah menumpuk"
    )
    page = client.get(f"/kasus/{case.tracking_number}/").content.decode()
    assert "sampah menumpuk" in page and "Bambang" not in page


def test_the_list_filters_by_unit_kecamatan_desa_status_type_and_period(
    client, published_case, unit_b, regions
):
    other = testing.create_case(
        unit=unit_b, text="Puskesmas tutup jam 10", region=regions["genteng"]
    )
    number, other_number = published_case.tracking_number, other.tracking_number

    def listed(**params):
        page = client.get("/kasus/", params).content.decode()
        return {n for n in (number, other_number) if n in page}

    assert listed() == {number, other_number}
    assert listed(unit="DPU") == {number}
    assert listed(kecamatan="35.10.12") == {number}
    assert listed(kecamatan="35.10.08") == {other_number}
    assert listed(kecamatan="35.10.12", desa="35.10.12.2006") == {number}
    assert listed(status="answered") == {number}
    assert listed(status="assigned") == {other_number}
    assert listed(type="suggestion") == set()
    day = timezone.localdate(published_case.created_at).isoformat()
    assert listed(dari=day, sampai=day) == {number, other_number}
    assert listed(dari="2001-01-01", sampai="2001-01-31") == set()


def test_search_matches_masked_text_only(client, published_case):
    assert (
        published_case.tracking_number in client.get("/kasus/", {"q": "berlubang"}).content.decode()
    )
    # The reporter's name and number are in the raw text but must not be findable.
    for secret in ("Rahayu", "0812-3456-7890"):
        assert (
            published_case.tracking_number
            not in client.get("/kasus/", {"q": secret}).content.decode()
        )


def test_the_list_pages_by_keyset(client, unit_a):
    cases = [
        testing.create_case(unit=unit_a, text=f"Laporan nomor {i} tentang jalan") for i in range(23)
    ]
    first = client.get("/kasus/")
    assert first.context["page"].next_cursor and len(first.context["rows"]) == 20
    second = client.get("/kasus/", {"sebelum": first.context["page"].next_cursor})
    assert len(second.context["rows"]) == 3 and second.context["page"].next_cursor is None
    shown = [r["case"].pk for r in first.context["rows"] + second.context["rows"]]
    assert sorted(shown) == sorted(c.pk for c in cases)


def test_photos_are_public_only_after_approval(client, photo, operator):
    url = f"/foto/{photo.pk}/"
    assert client.get(url).status_code == 404
    case_url = f"/kasus/{photo.case.tracking_number}/"
    assert url not in client.get(case_url).content.decode()
    portal_services.approve_photo(photo, actor=operator)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert url in client.get(case_url).content.decode()


def test_the_reporter_sees_their_unapproved_photo(client, photo):
    url = f"/k/{photo.case.access_token}/foto/{photo.pk}/"
    assert url in client.get(f"/k/{photo.case.access_token}/").content.decode()
    assert client.get(url).status_code == 200


def test_an_approved_photo_of_an_unpublished_case_stays_hidden(client, photo, operator):
    portal_services.approve_photo(photo, actor=operator)
    services.set_visibility(photo.case, visibility="confidential", actor=operator, via=Via.INBOX)
    assert client.get(f"/foto/{photo.pk}/").status_code == 404


def test_only_operators_approve_photos(photo, official_a):
    with pytest.raises(PermissionDenied):
        portal_services.approve_photo(photo, actor=official_a)

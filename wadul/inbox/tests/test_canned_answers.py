from __future__ import annotations

from wadul import testing
from wadul.cases.models import Visibility
from wadul.inbox import canned
from wadul.inbox.models import CannedAnswer

login = testing.login
BODY = "Yth. {nama}, laporan {nomor_tiket} sedang ditangani {unit}."


def test_placeholders_are_filled(case_a, unit_a):
    answer = CannedAnswer.objects.create(unit=unit_a, title="Diterima", body=BODY)
    text = canned.render(answer, case_a)
    assert text == f"Yth. Siti Rahayu, laporan {case_a.tracking_number} sedang ditangani Dinas PU."


def test_confidential_reporter_is_not_named(unit_a, citizen):
    case = testing.create_case(unit=unit_a, contact=citizen, visibility=Visibility.CONFIDENTIAL)
    answer = CannedAnswer.objects.create(unit=unit_a, title="Diterima", body=BODY)
    assert canned.render(answer, case).startswith("Yth. Bapak/Ibu,")


def test_a_sub_unit_case_uses_its_parents_answers_but_not_other_units(subunit_a, unit_a, unit_b):
    case = testing.create_case(unit=subunit_a)
    mine = CannedAnswer.objects.create(unit=unit_a, title="A", body="a")
    CannedAnswer.objects.create(unit=unit_b, title="B", body="b")
    assert list(canned.for_case(case)) == [mine]


def test_the_reply_box_is_filled_on_request(client, official_a, case_a, unit_a):
    answer = CannedAnswer.objects.create(unit=unit_a, title="Diterima", body=BODY)
    login(client, official_a)
    url = f"/inbox/kasus/{case_a.tracking_number}/jawaban-siap/?jawaban={answer.pk}"
    html = client.get(url).content.decode()
    assert 'id="reply-text"' in html and "Yth. Siti Rahayu" in html
    # Without JavaScript the case page takes the same parameter.
    page = client.get(f"/inbox/kasus/{case_a.tracking_number}/?jawaban={answer.pk}")
    assert "Yth. Siti Rahayu" in page.content.decode()


def test_another_unit_cannot_use_the_canned_answer_endpoint(client, official_b, case_a, unit_a):
    answer = CannedAnswer.objects.create(unit=unit_a, title="Diterima", body=BODY)
    login(client, official_b)
    url = f"/inbox/kasus/{case_a.tracking_number}/jawaban-siap/?jawaban={answer.pk}"
    assert client.get(url).status_code == 404


def test_heads_manage_their_units_answers_and_staff_cannot(client, head_a, official_a, unit_a):
    login(client, head_a)
    response = client.post(
        "/inbox/jawaban-siap/", {"unit": unit_a.pk, "title": "Terima kasih", "body": "Halo {nama}"}
    )
    assert response.status_code == 302
    answer = CannedAnswer.objects.get()
    client.logout()
    login(client, official_a)
    assert client.get("/inbox/jawaban-siap/").status_code == 403
    assert client.post(f"/inbox/jawaban-siap/{answer.pk}/hapus/").status_code == 404
    assert CannedAnswer.objects.exists()


def test_a_head_cannot_write_answers_for_another_unit(client, head_a, unit_b):
    login(client, head_a)
    response = client.post("/inbox/jawaban-siap/", {"unit": unit_b.pk, "title": "x", "body": "y"})
    assert response.status_code == 400
    assert not CannedAnswer.objects.exists()

from __future__ import annotations

from wadul import testing
from wadul.cases.models import Status, Visibility

login = testing.login


def test_it_requires_login(client, case_a):
    response = client.get(f"/inbox/kasus/{case_a.tracking_number}/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_it_lists_only_the_officials_unit(client, official_a, case_a, unit_b):
    other = testing.create_case(unit=unit_b)
    login(client, official_a)
    page = client.get("/inbox/").content.decode()
    assert case_a.tracking_number in page
    assert other.tracking_number not in page


def test_another_units_case_is_404_by_url(client, official_b, case_a):
    login(client, official_b)
    assert client.get(f"/inbox/kasus/{case_a.tracking_number}/").status_code == 404
    response = client.post(
        f"/inbox/kasus/{case_a.tracking_number}/aksi/", {"action": "resolve", "text": ""}
    )
    assert response.status_code == 404
    case_a.refresh_from_db()
    assert case_a.status == Status.ASSIGNED


def test_it_answers_from_the_case_page(client, official_a, case_a):
    login(client, official_a)
    response = client.post(
        f"/inbox/kasus/{case_a.tracking_number}/aksi/",
        {"action": "answer", "text": "Besok kami perbaiki"},
    )
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == Status.ANSWERED
    page = client.get(f"/inbox/kasus/{case_a.tracking_number}/").content.decode()
    assert "Besok kami perbaiki" in page


def test_an_empty_answer_shows_an_indonesian_error_next_to_the_field(client, official_a, case_a):
    login(client, official_a)
    response = client.post(
        f"/inbox/kasus/{case_a.tracking_number}/aksi/", {"action": "answer", "text": "  "}
    )
    assert response.status_code == 400
    assert "Tulis pesannya terlebih dahulu." in response.content.decode()


def test_confidential_reporter_hidden_on_the_page(client, official_a, unit_a, citizen):
    case = testing.create_case(unit=unit_a, contact=citizen, visibility=Visibility.CONFIDENTIAL)
    login(client, official_a)
    page = client.get(f"/inbox/kasus/{case.tracking_number}/").content.decode()
    assert "Siti Rahayu" not in page
    assert "Pelapor rahasia" in page


def test_supervisor_sees_the_case_without_action_buttons(client, supervisor, case_a):
    login(client, supervisor)
    page = client.get(f"/inbox/kasus/{case_a.tracking_number}/").content.decode()
    assert case_a.tracking_number in page
    assert 'value="resolve"' not in page
    response = client.post(
        f"/inbox/kasus/{case_a.tracking_number}/aksi/", {"action": "resolve", "text": ""}
    )
    assert response.status_code == 403


def test_confidential_reporter_is_named_to_operators_only(
    client, head_a, supervisor, operator, unit_a, citizen
):
    case = testing.create_case(unit=unit_a, contact=citizen, visibility=Visibility.CONFIDENTIAL)
    url = f"/inbox/kasus/{case.tracking_number}/"
    for viewer in (head_a, supervisor):
        login(client, viewer)
        page = client.get(url).content.decode()
        assert "Siti Rahayu" not in page and "6281234567890" not in page
        assert "Pelapor rahasia" in page
        client.logout()
    login(client, operator)
    assert "Siti Rahayu" in client.get(url).content.decode()

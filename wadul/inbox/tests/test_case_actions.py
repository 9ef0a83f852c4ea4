from __future__ import annotations

import pytest

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, CaseEvent, Message, Status, Via

login = testing.login


def act(client, case, **data):
    return client.post(f"/inbox/kasus/{case.tracking_number}/aksi/", data)


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def logged_in(client, official_a):
    login(client, official_a)
    return client


def test_reply_goes_to_the_citizen(logged_in, case_a):
    response = act(logged_in, case_a, action="answer", text="Sudah kami jadwalkan")
    assert response.status_code == 302
    message = case_a.messages.get(direction=Message.Direction.OUTBOUND)
    assert message.text == "Sudah kami jadwalkan" and message.via == Via.INBOX
    assert fresh(case_a).status == Status.ANSWERED


def test_internal_note_is_not_sent(logged_in, case_a):
    act(logged_in, case_a, action="note", text="Cek dulu ke UPTD")
    assert case_a.messages.filter(direction=Message.Direction.NOTE).count() == 1
    assert not case_a.messages.filter(direction=Message.Direction.OUTBOUND).exists()


def test_assign_to_me_and_to_a_colleague(logged_in, case_a, official_a, head_a):
    act(logged_in, case_a, action="assign_me")
    assert fresh(case_a).assigned_to == official_a
    act(logged_in, case_a, action="assign", official=head_a.pk)
    assert fresh(case_a).assigned_to == head_a


def test_cannot_assign_to_an_official_of_another_unit(logged_in, case_a, official_b):
    response = act(logged_in, case_a, action="assign", official=official_b.pk)
    assert response.status_code == 400
    assert fresh(case_a).assigned_to is None


def test_transfer_needs_a_reason_and_moves_the_case_out_of_reach(logged_in, case_a, unit_b):
    response = act(logged_in, case_a, action="transfer", unit=unit_b.pk, reason="")
    assert response.status_code == 400
    assert "Tuliskan alasan pengalihan." in response.content.decode()
    response = act(logged_in, case_a, action="transfer", unit=unit_b.pk, reason="Urusan Dinkes")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    case = fresh(case_a)
    assert case.unit == unit_b
    event = case.events.get(kind=CaseEvent.Kind.TRANSFERRED)
    assert event.data["reason"] == "Urusan Dinkes"


def test_refer_outside_sends_the_referral_text(logged_in, case_a, pln):
    act(logged_in, case_a, action="refer", institution=pln.pk, text="")
    case = fresh(case_a)
    assert case.status == Status.REFERRED and case.referred_to == pln
    sent = case.messages.get(direction=Message.Direction.OUTBOUND)
    assert sent.text == "Hubungi PLN 123."


def test_merge_into_a_visible_case(logged_in, case_a, unit_a, unit_b):
    survivor = testing.create_case(unit=unit_a)
    act(logged_in, case_a, action="merge", survivor=survivor.tracking_number)
    case = fresh(case_a)
    assert case.status == Status.MERGED and case.duplicate_of == survivor


def test_merge_refuses_a_case_of_another_unit(logged_in, case_a, unit_b):
    hidden = testing.create_case(unit=unit_b)
    response = act(logged_in, case_a, action="merge", survivor=hidden.tracking_number)
    assert response.status_code == 400
    assert fresh(case_a).status == Status.ASSIGNED


def test_clarification_pauses_and_the_citizens_reply_resumes(logged_in, case_a):
    act(logged_in, case_a, action="clarify", text="Di RT berapa, Bu?")
    assert fresh(case_a).status == Status.WAITING
    services.receive_message(fresh(case_a), text="RT 3")
    assert fresh(case_a).status == Status.IN_PROGRESS


def test_resolve_close_reopen(logged_in, case_a):
    act(logged_in, case_a, action="resolve", text="Sudah ditambal")
    assert fresh(case_a).status == Status.RESOLVED
    act(logged_in, case_a, action="close")
    assert fresh(case_a).status == Status.CLOSED
    act(logged_in, case_a, action="reopen", reason="Warga bilang belum beres")
    assert fresh(case_a).status == Status.REOPENED


def test_an_illegal_move_is_refused_with_a_message(logged_in, case_a):
    response = act(logged_in, case_a, action="close")
    assert response.status_code == 400
    assert fresh(case_a).status == Status.ASSIGNED


def test_operator_assigns_from_triage_to_a_unit(client, operator, unit_a):
    case = testing.create_case(unit=None)
    login(client, operator)
    page = client.get(f"/inbox/kasus/{case.tracking_number}/").content.decode()
    assert "Triase: tugaskan ke unit" in page
    act(client, case, action="assign", unit=unit_a.pk)
    case = fresh(case)
    assert case.unit == unit_a and case.status == Status.ASSIGNED


def test_only_operators_reject(client, logged_in, case_a):
    response = act(logged_in, case_a, action="reject", reason="spam")
    assert response.status_code == 403
    assert fresh(case_a).status == Status.ASSIGNED


def test_htmx_action_returns_the_case_body(logged_in, case_a):
    response = logged_in.post(
        f"/inbox/kasus/{case_a.tracking_number}/aksi/",
        {"action": "note", "text": "catatan"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="case-body">')
    assert "Catatan ditambahkan." in body and "catatan" in body


def test_another_units_official_can_do_nothing(client, official_b, case_a):
    login(client, official_b)
    for data in (
        {"action": "answer", "text": "x"},
        {"action": "assign_me"},
        {"action": "clarify", "text": "x"},
        {"action": "close"},
    ):
        assert act(client, case_a, **data).status_code == 404
    assert fresh(case_a).status == Status.ASSIGNED
    assert not case_a.messages.exclude(direction=Message.Direction.INBOUND).exists()

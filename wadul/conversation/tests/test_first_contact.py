"""A first message that is not (yet) a request gets the menu, not a case; a clear complaint
opens one at once; an emergency hears about 112 before anything else."""

from __future__ import annotations

from wadul.cases import kinds
from wadul.cases.models import Case
from wadul.conversation.menu import STATUS_CHOICE
from wadul.routing.labels import UnitType
from wadul.routing.models import RoutingRule
from wadul.routing.router import clear_rule_cache


def choice_ids(sent) -> list[str]:
    return [choice.id for choice in sent.notice.choices]


def test_a_greeting_gets_the_menu_of_request_kinds_instead_of_a_case(pigeon, citizen):
    result = pigeon.receive(citizen, "Halo min")
    assert result.outcome == "menu" and result.case is None
    assert not Case.objects.exists()
    # The complaint first, the status check last; between them the other kinds offered
    # on this number (a desa's letters only where the desa has a catalogue).
    ids = choice_ids(pigeon.last())
    assert ids[0] == "kind:complaint" and ids[-1] == STATUS_CHOICE
    offered = [k for k in kinds.menu_kinds() if k.offered_at(pigeon.unit)]
    assert ids[1:-1] == [f"kind:{kind.code}" for kind in offered][1:]
    assert "Dinas PU" in pigeon.last().text


def test_a_lone_sticker_gets_the_menu(pigeon, citizen):
    assert pigeon.receive(citizen, "", has_file=True, form="sticker").outcome == "menu"
    assert not Case.objects.exists()


def test_a_short_unclear_message_gets_the_menu_but_a_clear_complaint_opens_a_case(pigeon, citizen):
    assert pigeon.receive(citizen, "apa ya").outcome == "menu"
    opened = pigeon.receive(citizen, "Jalan berlubang di depan SD Kemiren")
    assert opened.outcome == "opened" and opened.case.type == "complaint"


def test_choosing_report_from_the_menu_takes_the_next_message_as_the_report(pigeon, citizen):
    pigeon.receive(citizen, "Selamat pagi")
    assert pigeon.receive(citizen, reply_id="kind:complaint").outcome == "kind_chosen"
    assert "tuliskan laporan" in pigeon.last().text
    # However short, the next message is the report the citizen chose to make.
    opened = pigeon.receive(citizen, "Lampu mati")
    assert opened.outcome == "opened" and opened.case.description == "Lampu mati"


def test_checking_a_status_from_the_menu(pigeon, citizen):
    case = pigeon.receive(citizen, "Sampah menumpuk di pasar Genteng").case
    pigeon.receive(citizen, reply_id=STATUS_CHOICE)
    assert case.tracking_number in pigeon.last().text and "Status" in pigeon.last().text


def test_an_emergency_is_told_to_call_112_before_the_tracking_number(pigeon, citizen):
    # The router says emergency (here by an operator's rule, as the classifier would).
    RoutingRule.objects.create(phrases="kebakaran", label=UnitType.EMERGENCY)
    clear_rule_cache()
    opened = pigeon.receive(citizen, "Kebakaran rumah di Genteng, ada orang terjebak di dalam")
    ack = pigeon.last().text
    assert opened.outcome == "opened"
    assert ack.startswith("*PENTING:*") and "112" in ack.split("\n")[0]
    assert ack.index("112") < ack.index(opened.case.tracking_number)

"""Serta merta announcements end to end over real HTTP against the simulator: a citizen
subscribes with "langganan info", a serta merta DIP item is published, and the citizen gets
it as the approved `serta_merta` template; after "berhenti info" the next one does not
come, and a citizen who never subscribed gets nothing."""

from __future__ import annotations

from wadul.ppid import services as ppid
from wadul.ppid.models import DipItem, Subscriber
from wadul.whatsapp.conftest import UNIT_PNID

SUBSCRIBER, STRANGER = "6281234500091", "6281234500092"


def write(simulator, user: str, text: str) -> None:
    simulator.inbound(phone_number_id=UNIT_PNID, **{"from": user}, type="text", text=text)


def outbound(simulator, user: str) -> list[dict]:
    messages = simulator.control("conversations", phone_number_id=UNIT_PNID, user=user)
    return [m for m in messages["messages"] if m["direction"] == "outbound"]


def publish(number: str, summary: str, unit) -> DipItem:
    return ppid.publish_dip_item(
        number=number,
        summary=summary,
        unit=unit,
        responsible="Kepala BPBD",
        made="Banyuwangi, 2026",
        form="Pengumuman",
        retention="1 tahun",
        category=DipItem.Category.SERTA_MERTA,
    )


def test_subscribers_get_serta_merta_items_as_the_template(simulator, settle, unit_number, unit_a):
    write(simulator, SUBSCRIBER, "Langganan info")
    write(simulator, STRANGER, "halo")
    settle()
    [confirmation] = outbound(simulator, SUBSCRIBER)
    assert "berlangganan informasi serta merta" in confirmation["text"]
    assert Subscriber.objects.get().active

    publish("SM-001", "Banjir di Kecamatan Genteng: warga bantaran sungai mengungsi.", unit_a)
    settle()
    announcement = outbound(simulator, SUBSCRIBER)[-1]
    assert announcement["type"] == "template"
    assert announcement["template_name"] == "wadul_serta_merta"
    assert "Banjir di Kecamatan Genteng" in announcement["text"]
    assert not any("Banjir" in m.get("text", "") for m in outbound(simulator, STRANGER))
    # Announced once: publishing the item again (an edit) sends nothing more.
    publish(
        "SM-001", "Banjir di Kecamatan Genteng: warga bantaran sungai mengungsi (edit).", unit_a
    )
    settle()
    assert sum("Banjir" in m.get("text", "") for m in outbound(simulator, SUBSCRIBER)) == 1

    write(simulator, SUBSCRIBER, "berhenti info")
    settle()
    assert "dihentikan" in outbound(simulator, SUBSCRIBER)[-1]["text"]
    publish("SM-002", "Pemadaman listrik terencana di Kecamatan Glagah besok pagi.", unit_a)
    settle()
    assert not any("Pemadaman" in m.get("text", "") for m in outbound(simulator, SUBSCRIBER))

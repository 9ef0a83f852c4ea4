"""The phone page renders WhatsApp's formatting safely, puts ticks only on sent bubbles, and
shows a failed send once, with its template follow-up."""

from __future__ import annotations

import re

from wadul.simulator.formatting import whatsapp_html
from wadul.simulator.tests.conftest import CITIZEN, PNID

CHAT = {"me": CITIZEN, "biz": PNID}


def test_whatsapp_markers_become_tags_after_escaping():
    html = whatsapp_html("Nomor *E747-DBGX* _segera_ ~batal~ ```kode_1 *x*```\nbaris <b>&")
    assert "<strong>E747-DBGX</strong>" in html and "<em>segera</em>" in html
    assert "<s>batal</s>" in html and "<code>kode_1 *x*</code>" in html
    assert "<br>baris &lt;b&gt;&amp;" in html
    assert whatsapp_html("a*b*c 2 * 3 * 4 snake_case_name") == "a*b*c 2 * 3 * 4 snake_case_name"
    assert "<script>" not in whatsapp_html("*<script>alert(1)</script>*")


def bubble_of(chat: str, text: str) -> str:
    return next(b for b in chat.split('<div class="bubble') if text in b)


def test_the_phone_shows_formatting_and_ticks_only_on_sent_bubbles(sim):
    sim.inbound()  # the citizen writes first: the window is open
    sim.send(to=CITIZEN, type="text", text={"body": "Laporan *E747-DBGX* diterima"})
    sim.idle()
    chat = sim.http.get("/phone/chat", params=CHAT).text
    incoming = bubble_of(chat, "E747-DBGX")
    assert '<div class="text">Laporan <strong>E747-DBGX</strong> diterima' in incoming
    assert 'class="ticks' not in incoming
    outgoing = next(b for b in chat.split('<div class="bubble')[1:] if " mine" in b[:10])
    assert 'class="ticks' in outgoing


def test_a_failed_send_is_shown_once_with_its_template_follow_up(sim):
    # No message from the citizen: a free-text send fails with 131047 (window closed).
    sim.send(to=CITIZEN, type="text", text={"body": "Jawaban atas laporan Anda"})
    sim.idle()
    sim.template()
    sim.idle()
    chat = sim.http.get("/phone/chat", params=CHAT).text
    assert chat.count("gagal terkirim") == 1 and "gagal 131047" in chat
    assert "dikirim ulang sebagai templat" in chat
    assert "Jawaban atas laporan Anda" not in chat  # it never reached the phone
    assert re.search(r"gagal terkirim.*Templat:", chat, re.S)

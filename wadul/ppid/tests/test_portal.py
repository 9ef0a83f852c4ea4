"""The public side: the web form (errors in Indonesian beside their fields), the DIP page,
the requester's letters on their private link, and open data without personal data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from wadul.ppid import services
from wadul.ppid.models import DipItem, PpidRequest

from .test_intake import NIK

FORM = {
    "name": "Budi Santoso",
    "nik": NIK,
    "address": "Jl. Raya Genteng 5, Banyuwangi",
    "whatsapp": "",
    "email": "budi@example.org",
    "information": "Laporan realisasi APBD 2025 Dinas PU",
    "purpose": "Liputan media tentang belanja jalan",
    "obtain": "salinan",
    "receive": "email",
}


def test_the_form_explains_each_wrong_field_in_indonesian(client, kominfo):
    response = client.post("/informasi/permohonan/", {**FORM, "nik": "1234", "email": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "NIK harus 16 angka" in page
    assert "Isi nomor WhatsApp atau e-mail" in page
    assert 'id="id_nik-error"' in page
    assert not PpidRequest.objects.exists()


def test_the_form_registers_the_request_and_the_private_page_has_the_receipt(client, kominfo):
    response = client.post("/informasi/permohonan/", FORM)
    assert response.status_code == 302
    request = PpidRequest.objects.get()
    assert request.case.unit == kominfo and request.nik == NIK
    private = client.get(response["Location"]).content.decode()
    assert request.registration_number in private
    letter = request.letters.get(code="receipt")
    pdf = client.get(f"/k/{request.case.access_token}/surat/{letter.pk}/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # Another case's token does not open this letter.
    other = client.post("/informasi/permohonan/", {**FORM, "name": "Ani Lestari"})
    token = PpidRequest.objects.exclude(pk=request.pk).get().case.access_token
    assert other.status_code == 302
    assert client.get(f"/k/{token}/surat/{letter.pk}/").status_code == 404


def dip_items(unit):
    services.publish_dip_item(
        number="DIP-001",
        summary="APBD 2026",
        unit=unit,
        responsible="Kepala Bidang Anggaran",
        made="Januari 2026, BPKAD",
        form="PDF",
        retention="10 tahun",
        category="berkala",
        url="https://example.org/apbd.pdf",
    )
    services.publish_dip_item(
        number="DIP-002",
        summary="Peringatan dini banjir Kalibaru",
        unit=unit,
        responsible="BPBD",
        made="Desember 2026",
        form="Pengumuman",
        retention="1 tahun",
        category="serta_merta",
    )
    services.publish_dip_item(
        number="DIP-003",
        summary="Berkas penyidikan pengadaan",
        unit=unit,
        responsible="Inspektur",
        made="2026, Inspektorat",
        form="Arsip",
        retention="5 tahun",
        category="dikecualikan",
        consequence_test_ref="UK-2026/07",
        url="https://example.org/secret.pdf",
    )


def test_the_dip_page_lists_searches_and_hides_exempt_content(client, kominfo):
    dip_items(kominfo)
    page = client.get("/informasi/").content.decode()
    assert "Peringatan dini banjir" in page and "APBD 2026" in page
    assert "UK-2026/07" in page and "secret.pdf" not in page
    found = client.get("/informasi/?q=apbd").content.decode()
    assert "APBD 2026" in found and "Berkas penyidikan" not in found
    exempt = client.get("/informasi/?kategori=dikecualikan").content.decode()
    assert "Berkas penyidikan" in exempt and "APBD 2026" not in exempt
    assert DipItem.objects.count() == 3
    feed = client.get("/informasi/serta-merta.atom").content.decode()
    assert "Peringatan dini banjir" in feed and "APBD 2026" not in feed


def test_an_exempt_item_needs_its_consequence_test(kominfo):
    with pytest.raises(services.PpidError):
        services.publish_dip_item(
            number="X",
            summary="x",
            unit=kominfo,
            responsible="x",
            made="x",
            form="x",
            retention="x",
            category="dikecualikan",
        )
    assert not DipItem.objects.exists()


def test_open_data_and_the_report_carry_no_personal_data(client, kominfo, ppid_utama):
    client.post("/informasi/permohonan/", FORM)
    client.post("/informasi/permohonan/", {**FORM, "subject_public": "on"})
    first, second = PpidRequest.objects.order_by("pk")
    services.decide(first, decision="not_held", holding_body="BPN", actor=ppid_utama, via="inbox")
    body = client.get("/data/permohonan-informasi.csv")
    text = b"".join(body.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["decision"] for r in rows] == ["not_held", ""]
    assert rows[0]["subject"] == "" and "APBD" in rows[1]["subject"]
    for secret in (NIK, "Budi", "budi@example.org", "Genteng 5"):
        assert secret not in text
    data = json.loads(b"".join(client.get("/data/permohonan-informasi.json").streaming_content))
    assert len(data["data"]) == 2 and NIK not in json.dumps(data)
    out = io.StringIO()
    call_command("ppid_report", year=first.year, format="json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["requests"] == 2 and figures["not_held"] == 1 and figures["undecided"] == 1
    assert figures["working_days_max"] is not None
    page = client.get(f"/informasi/statistik/?tahun={first.year}").content.decode()
    assert "Diskominfo" in page and "Informasi tidak dikuasai" in page and NIK not in page


def test_the_requester_objects_from_the_private_page(client, kominfo, ppid_utama, setda):
    response = client.post("/informasi/permohonan/", FORM)
    request = PpidRequest.objects.get()
    services.decide(
        request,
        decision="refused",
        exemption_basis="17h",
        consequence_test="Data pribadi penerima hibah: rahasia pribadi, merugikan penerima.",
        actor=ppid_utama,
        via="inbox",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Ajukan keberatan" in page and "biaya yang tidak wajar" in page
    token = request.case.access_token
    refused = client.post(f"/k/{token}/keberatan/", {"text": "x"}, follow=True)
    assert "Pilih paling sedikit satu alasan" in refused.content.decode()
    client.post(f"/k/{token}/keberatan/", {"grounds": ["a", "f"], "text": "Bukan rahasia"})
    request.refresh_from_db()
    assert request.stage == "objected" and request.objection_grounds == ["a", "f"]
    assert request.letters.filter(code="objection_receipt").exists()

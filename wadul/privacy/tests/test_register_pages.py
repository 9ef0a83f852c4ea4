"""The register of processing: the DPO's page and PDF, and the public privacy page in plain
Indonesian, both generated from the configuration (the retention schedule in settings)."""

from __future__ import annotations

from wadul import testing


def test_the_public_privacy_page_states_the_register_and_how_to_use_the_rights(client, settings):
    settings.RETENTION_DAYS = {"closed_cases": 10 * 365}
    page = client.get("/privasi/").content.decode()
    assert "data saya" in page and "3 × 24 jam" in page
    assert "Meta Platforms" in page and "Pasal 20" in page
    assert "10 tahun" in page  # from the settings, not a fixed text
    assert settings.PRIVACY_DPO_NAME in page


def test_the_dpo_reads_the_register_and_exports_it_as_pdf(client, dpo, official_a):
    testing.login(client, official_a)
    assert client.get("/inbox/privasi/register/").status_code == 403
    client.logout()
    testing.login(client, dpo)
    page = client.get("/inbox/privasi/register/").content.decode()
    assert "30 hari" in page and "5 tahun" in page
    pdf = client.get("/inbox/privasi/register/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

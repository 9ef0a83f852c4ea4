from __future__ import annotations

from django.core.management import call_command


def test_home_answers_in_indonesian(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Lacak" in response.content.decode()


def test_tracking_form_redirects_to_the_case(client, case_a):
    number = case_a.tracking_number.lower().replace("-", " ")
    response = client.get("/", {"lacak": number})
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{case_a.tracking_number}/"


def test_public_track_page_shows_status_but_no_personal_data(client, case_a):
    page = client.get(f"/lacak/{case_a.tracking_number}/").content.decode()
    assert case_a.tracking_number in page
    assert "Siti Rahayu" not in page and "6281234567890" not in page
    assert "Jalan depan SD Kemiren" not in page


def test_unknown_tracking_number_is_404(client, db):
    assert client.get("/lacak/AAAA-BBBB/").status_code == 404


def test_collectstatic_finds_the_projects_own_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "wadul" / "wadul.css").exists()
    assert "wadul/wadul.css" in (tmp_path / "staticfiles.json").read_text()


def test_indonesian_even_when_the_browser_asks_for_english(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Lacak laporan Anda" in page


def test_english_when_the_user_chooses_it(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Track your case" in client.get("/").content.decode()

from __future__ import annotations

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wadul import testing
from wadul.core.models import Attempt

login = testing.login


def post_login(client, username, password):
    return client.post("/masuk/", {"username": username, "password": password})


def test_login_works(client, official_a):
    response = post_login(client, "alice", testing.PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_repeated_failures_lock_the_username_even_with_the_right_password(
    client, official_a, settings
):
    settings.LOGIN_MAX_FAILURES_PER_USER = 3
    for _ in range(3):
        assert post_login(client, "alice", "wrong").status_code == 200
    response = post_login(client, "alice", testing.PASSWORD)
    assert response.status_code == 200
    assert "Terlalu banyak percobaan gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_from_one_address_are_throttled_across_usernames(client, official_a, settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 2
    post_login(client, "someone", "x")
    post_login(client, "another", "y")
    response = post_login(client, "alice", testing.PASSWORD)
    assert "Terlalu banyak percobaan gagal" in response.content.decode()


def test_a_success_clears_the_failures(client, official_a):
    post_login(client, "alice", "wrong")
    post_login(client, "alice", testing.PASSWORD)
    assert not Attempt.objects.filter(scope="login-user", key="alice").exists()


def test_supervisor_must_set_up_a_second_factor_before_the_inbox(client, supervisor):
    assert client.login(username="sekda", password=testing.PASSWORD)
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/inbox/akun/2fa/")
    setup = client.get(response["Location"])
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=supervisor)
    response = client.post("/inbox/akun/2fa/?next=/inbox/", {"token": "000000"})
    assert response.status_code == 200 and not TOTPDevice.objects.get().confirmed
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    response = client.post(
        "/inbox/akun/2fa/", {"token": f"{totp(device.bin_key):06d}", "next": "/inbox/"}
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert client.get("/inbox/").status_code == 200


def test_second_login_asks_for_the_code(client, supervisor):
    device = TOTPDevice.objects.create(user=supervisor, name="app", confirmed=True)
    assert client.login(username="sekda", password=testing.PASSWORD)
    response = client.get("/inbox/")
    assert response["Location"].startswith("/inbox/akun/2fa/verifikasi/")
    assert client.get("/admin/").status_code == 302  # the admin site too
    response = client.post(
        "/inbox/akun/2fa/verifikasi/", {"token": f"{totp(device.bin_key):06d}", "next": "/inbox/"}
    )
    assert response["Location"] == "/inbox/"
    assert client.get("/inbox/").status_code == 200


def test_second_factor_is_optional_for_staff_but_enforced_once_set_up(client, official_a):
    assert client.login(username="alice", password=testing.PASSWORD)
    assert client.get("/inbox/").status_code == 200
    client.logout()
    TOTPDevice.objects.create(user=official_a, name="app", confirmed=True)
    assert client.login(username="alice", password=testing.PASSWORD)
    assert client.get("/inbox/")["Location"].startswith("/inbox/akun/2fa/verifikasi/")


def test_logout_everywhere_ends_the_other_sessions(official_a):
    phone, desktop = Client(), Client()
    login(phone, official_a)
    login(desktop, official_a)
    assert desktop.get("/inbox/").status_code == 200
    response = phone.post("/inbox/akun/keluar-semua/")
    assert response.status_code == 302
    assert desktop.get("/inbox/").status_code == 302
    assert phone.get("/inbox/").status_code == 302
    login(desktop, official_a)  # a new login works again
    assert desktop.get("/inbox/").status_code == 200


def test_admin_resets_a_password_and_ends_the_sessions(client, official_a, regency):
    admin = testing.create_official("root", unit=regency, role="admin")
    victim = Client()
    login(victim, official_a)
    login(client, admin)
    response = client.post(f"/inbox/tim/{official_a.pk}/sandi/")
    new_password = response.context["new_password"]
    assert new_password
    assert victim.get("/inbox/").status_code == 302
    assert Client().login(username="alice", password=new_password)


def test_only_admins_reset_passwords(client, head_a, official_a):
    login(client, head_a)
    assert client.post(f"/inbox/tim/{official_a.pk}/sandi/").status_code == 403
    assert Client().login(username="alice", password=testing.PASSWORD)

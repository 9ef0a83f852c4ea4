from django.urls import path

from wadul.inbox import letters
from wadul.inbox.views import accounts, board, case, cases, notifications, ppid, privacy, team

app_name = "inbox"
urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("kasus/<str:tracking_number>/", case.case_detail, name="case_detail"),
    path("kasus/<str:tracking_number>/aksi/", case.case_action, name="case_action"),
    path("kasus/<str:tracking_number>/terbaru/", case.case_live, name="case_live"),
    path("kasus/<str:tracking_number>/surat/", letters.letter_action, name="letter_action"),
    path("surat/loket/", letters.walk_in, name="letter_walk_in"),
    path("kasus/<str:tracking_number>/jawaban-siap/", case.canned_answer, name="canned_answer"),
    path("kasus/<str:tracking_number>/lampiran/<int:pk>/", case.attachment, name="attachment"),
    path("papan/", board.board, name="board"),
    path("ppid/", ppid.ppid_queue, name="ppid_queue"),
    path("ppid/loket/", ppid.ppid_counter, name="ppid_counter"),
    path("ppid/<int:pk>/", ppid.ppid_detail, name="ppid_detail"),
    path("ppid/<int:pk>/aksi/", ppid.ppid_action, name="ppid_action"),
    path("ppid/<int:pk>/berkas-sengketa.pdf", ppid.ppid_dispute_file, name="ppid_dispute_file"),
    path("notifikasi/", notifications.notification_list, name="notifications"),
    path("notifikasi/baca/", notifications.notifications_read, name="notifications_read"),
    path("tim/", team.team, name="team"),
    path("tim/<int:pk>/", team.official_edit, name="official_edit"),
    path("tim/<int:pk>/jadwal/<int:shift>/hapus/", team.shift_delete, name="shift_delete"),
    path("tim/<int:pk>/sandi/", team.password_reset, name="password_reset"),
    path("jawaban-siap/", team.canned_list, name="canned_list"),
    path("jawaban-siap/<int:pk>/hapus/", team.canned_delete, name="canned_delete"),
    path("privasi/", privacy.dashboard, name="privacy"),
    path("privasi/kasus/<str:tracking_number>/", privacy.case_log, name="privacy_case"),
    path("privasi/petugas/<int:pk>/", privacy.official_log, name="privacy_official"),
    path("privasi/warga/<int:pk>/", privacy.person, name="privacy_person"),
    path("privasi/register/", privacy.processing_register, name="privacy_register"),
    path("akun/", accounts.account, name="account_prefix"),
    path("akun/whatsapp/", accounts.confirm_whatsapp, name="confirm_whatsapp"),
    path("akun/keluar-semua/", accounts.logout_everywhere, name="logout_everywhere"),
    path("akun/2fa/", accounts.otp_setup, name="otp_setup"),
    path("akun/2fa/verifikasi/", accounts.otp_verify, name="otp_verify"),
]

from django.urls import path

from wadul.portal import informasi, opendata, staff, stats, views

app_name = "portal"

urlpatterns = [
    path("lapor/", views.report, name="report"),
    path("k/<uuid:token>/", views.private, name="private"),
    path("k/<uuid:token>/wa/", views.verify_whatsapp, name="verify_whatsapp"),
    path("k/<uuid:token>/foto/<int:pk>/", views.private_photo, name="private_photo"),
    path("kasus/", views.case_list, name="case_list"),
    path("kasus/<str:tracking_number>/", views.case_detail, name="case_detail"),
    path("foto/<int:pk>/", views.public_photo, name="photo"),
    path("informasi/", informasi.dip, name="informasi"),
    path("informasi/permohonan/", informasi.request_form, name="informasi_request"),
    path("informasi/statistik/", informasi.figures, name="informasi_figures"),
    path("informasi/serta-merta.atom", informasi.SertaMertaFeed(), name="serta_merta_feed"),
    path("k/<uuid:token>/surat/<int:pk>/", informasi.private_letter, name="private_letter"),
    path("k/<uuid:token>/keberatan/", informasi.private_objection, name="private_objection"),
    path("data/permohonan-informasi.csv", informasi.requests_csv, name="ppid_requests_csv"),
    path("data/permohonan-informasi.json", informasi.requests_json, name="ppid_requests_json"),
    path("data/", opendata.open_data, name="open_data"),
    path("data/cara-publikasi/", opendata.about_data, name="about_data"),
    path("data/kasus.csv", opendata.cases_csv, name="cases_csv"),
    path("data/kasus.json", opendata.cases_json, name="cases_json"),
    path("data/jawaban.atom", opendata.AnswersFeed(), name="answers_feed"),
    path("data/statistik.csv", stats.league_csv, name="league_csv"),
    path("data/statistik.json", stats.league_json, name="league_json"),
    path("statistik/", stats.league, name="league"),
    path("pantau/", stats.dashboard, name="dashboard"),
    path("pantau/laporan/", stats.report, name="monthly_report"),
    path("pantau/laporan.csv", stats.report_csv, name="monthly_report_csv"),
    path("pantau/laporan.pdf", stats.report_pdf, name="monthly_report_pdf"),
    path("pantau/foto/", staff.photo_queue, name="photo_queue"),
    path("pantau/foto/<int:pk>/", staff.staff_photo, name="staff_photo"),
    path("pantau/kasus/<str:tracking_number>/", staff.publication, name="publication"),
]

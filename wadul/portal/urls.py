from django.urls import path

from wadul.portal import letters, opendata, privacy, staff, stats, views

app_name = "portal"

urlpatterns = [
    path("lapor/", views.report, name="report"),
    path("k/<uuid:token>/", views.private, name="private"),
    path("k/<uuid:token>/wa/", views.verify_whatsapp, name="verify_whatsapp"),
    path("k/<uuid:token>/foto/<int:pk>/", views.private_photo, name="private_photo"),
    path("k/<uuid:token>/surat.pdf", letters.private_letter, name="private_letter"),
    path("kasus/", views.case_list, name="case_list"),
    path("verifikasi/<str:code>/", letters.verify, name="letter_verify"),
    path("layanan-desa/<str:unit_code>/", letters.catalogue, name="letter_catalogue"),
    path(
        "layanan-desa/<str:unit_code>/<slug:service_code>/",
        letters.request_form,
        name="letter_request",
    ),
    path("kasus/<str:tracking_number>/", views.case_detail, name="case_detail"),
    path("foto/<int:pk>/", views.public_photo, name="photo"),
    path("data/", opendata.open_data, name="open_data"),
    path("data/cara-publikasi/", opendata.about_data, name="about_data"),
    path("data/kasus.csv", opendata.cases_csv, name="cases_csv"),
    path("data/kasus.json", opendata.cases_json, name="cases_json"),
    path("data/jawaban.atom", opendata.AnswersFeed(), name="answers_feed"),
    path("data/statistik.csv", stats.league_csv, name="league_csv"),
    path("data/statistik.json", stats.league_json, name="league_json"),
    path("statistik/", stats.league, name="league"),
    path("privasi/", privacy.privacy_page, name="privacy"),
    path("privasi/permintaan/", privacy.data_request, name="data_request"),
    path("privasi/permintaan/<uuid:token>/", privacy.data_request_code, name="data_request_code"),
    path("statistik/layanan-desa/", letters.statistics, name="letter_statistics"),
    path("data/layanan-desa.csv", letters.statistics_csv, name="letter_statistics_csv"),
    path("pantau/", stats.dashboard, name="dashboard"),
    path("pantau/laporan/", stats.report, name="monthly_report"),
    path("pantau/laporan.csv", stats.report_csv, name="monthly_report_csv"),
    path("pantau/laporan.pdf", stats.report_pdf, name="monthly_report_pdf"),
    path("pantau/foto/", staff.photo_queue, name="photo_queue"),
    path("pantau/foto/<int:pk>/", staff.staff_photo, name="staff_photo"),
    path("pantau/kasus/<str:tracking_number>/", staff.publication, name="publication"),
]

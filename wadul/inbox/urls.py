from django.urls import path

from wadul.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("kasus/<str:tracking_number>/", views.case_detail, name="case_detail"),
    path("kasus/<str:tracking_number>/aksi/", views.case_action, name="case_action"),
]

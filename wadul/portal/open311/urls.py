from django.urls import re_path

from wadul.portal.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns = [
    re_path(r"^$", views.index, name="index"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[A-Za-z0-9_\-]+)" + FMT, views.service, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(
        r"^requests/(?P<request_id>[A-Za-z0-9\-]+)" + FMT, views.request_detail, name="request"
    ),
]

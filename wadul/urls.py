from functools import partial

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from ninja.openapi.views import openapi_view

from wadul.api.urls import api
from wadul.core import views as core_views
from wadul.inbox.views.accounts import LoginView
from wadul.portal import home as portal_home
from wadul.portal import views as portal_views
from wadul.whatsapp import views as whatsapp_views

urlpatterns = [
    # First: the busiest URL (Meta's deliveries), resolved before the others are tried.
    path("webhooks/whatsapp/", whatsapp_views.webhook, name="whatsapp_webhook"),
    path("", portal_home.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("lacak/<str:tracking_number>/", portal_views.track, name="track"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("masuk/", LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", include("wadul.inbox.urls")),
    path("api/v1/", api.urls),
    path("api/docs", partial(openapi_view, api=api), name="api_docs"),
    path("open311/v2/", include("wadul.open311.urls")),
    path("admin/", admin.site.urls),
    path("", include("wadul.portal.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

"""The simulator's own URLconf, resolved by wadul.simulator.app — never the app's wadul.urls."""

from __future__ import annotations

from django.urls import path, re_path

from wadul.simulator import views_control as control
from wadul.simulator import views_graph as graph
from wadul.simulator import views_phone as phone

VERSION = r"(?P<version>v\d+\.\d+)"

urlpatterns = [
    path("", phone.index),
    path("phone", phone.page),
    path("phone/chat", phone.chat),
    path("phone/send", phone.send),
    path("phone/media/<str:media_id>", phone.media),
    path("phone/played", phone.played),
    path("_sim/health", control.health),
    path("_sim/numbers", control.numbers),
    path("_sim/users", control.users),
    path("_sim/config", control.config),
    path("_sim/reset", control.reset),
    path("_sim/templates", control.templates),
    path("_sim/template_status", control.template_status),
    path("_sim/inbound", control.inbound_message),
    path("_sim/echo", control.echo),
    path("_sim/conversations", control.conversations),
    path("_sim/outbox", control.outbox),
    path("_sim/reads", control.reads),
    path("_sim/read", control.read),
    path("_sim/stats", control.stats),
    path("_sim/idle", control.idle),
    path("whatsapp_business/attachments/", graph.download),
    re_path(rf"^{VERSION}/(?P<phone_number_id>\d+)/messages$", graph.messages),
    re_path(rf"^{VERSION}/(?P<phone_number_id>\d+)/media$", graph.upload_media),
    re_path(rf"^{VERSION}/debug_token$", graph.debug_token),
    re_path(rf"^{VERSION}/(?P<waba_id>\d+)/phone_numbers$", graph.phone_numbers),
    re_path(rf"^{VERSION}/(?P<waba_id>\d+)/subscribed_apps$", graph.subscribed_apps),
    re_path(rf"^{VERSION}/(?P<waba_id>\d+)/message_templates$", graph.message_templates),
    re_path(rf"^{VERSION}/(?P<media_id>\d+)$", graph.media),
]

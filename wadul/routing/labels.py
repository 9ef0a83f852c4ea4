"""Unit types: what the classifier predicts. Any regency maps them to its own units. And the
request kinds the first stage (`intent.py`) tells apart. Kept light (no scikit-learn): the
models import it in every process."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitType(models.TextChoices):
    ROADS = "roads", _("roads and bridges")
    STREET_LIGHTING_DRAINAGE = "street_lighting_drainage", _("street lighting and drainage")
    WATER_IRRIGATION = "water_irrigation", _("irrigation and rivers")
    HEALTH = "health", _("public health (puskesmas)")
    HOSPITAL = "hospital", _("regional hospital")
    POPULATION_REGISTRY = "population_registry", _("population registry (dukcapil)")
    EDUCATION = "education", _("education")
    SOCIAL_WELFARE = "social_welfare", _("social welfare")
    TRANSPORT = "transport", _("transport and traffic")
    ENVIRONMENT_WASTE = "environment_waste", _("environment and waste")
    PUBLIC_ORDER = "public_order", _("public order (satpol PP)")
    FIRE_RESCUE = "fire_rescue", _("fire and rescue")
    DISASTER = "disaster", _("disaster management (BPBD)")
    AGRICULTURE = "agriculture", _("agriculture and livestock")
    FISHERIES = "fisheries", _("fisheries")
    TRADE_COOPERATIVES = "trade_cooperatives", _("trade, markets and cooperatives")
    MANPOWER = "manpower", _("manpower")
    LICENSING = "licensing", _("licensing (DPMPTSP)")
    TAX_REVENUE = "tax_revenue", _("regional tax (Bapenda)")
    TOURISM_CULTURE = "tourism_culture", _("tourism and culture")
    YOUTH_SPORTS = "youth_sports", _("youth and sports")
    VILLAGE_AFFAIRS = "village_affairs", _("village affairs")
    KECAMATAN_SERVICE = "kecamatan_service", _("kecamatan services")
    COMMUNICATION_INFO = "communication_info", _("communication and public information")
    CIVIL_SERVICE = "civil_service", _("civil service (BKPP)")
    INTEGRITY = "integrity", _("integrity (Inspektorat)")
    EXT_ELECTRICITY = "ext_electricity", _("outside: electricity (PLN)")
    EXT_LAND = "ext_land", _("outside: land (BPN)")
    EXT_POLICE = "ext_police", _("outside: police")
    EXT_NATIONAL_ROAD = "ext_national_road", _("outside: national road")
    EXT_PROVINCIAL_ROAD = "ext_provincial_road", _("outside: provincial road")
    EXT_HEALTH_INSURANCE = "ext_health_insurance", _("outside: health insurance (BPJS)")
    EXT_WATER_UTILITY = "ext_water_utility", _("outside: water utility (PDAM)")
    EXT_VEHICLE_TAX = "ext_vehicle_tax", _("outside: vehicle tax (Samsat)")
    EMERGENCY = "emergency", _("emergency (call 112)")
    SPAM = "spam", _("spam / not a matter")


def is_outside(label: str) -> bool:
    return label.startswith("ext_")


class Intent(models.TextChoices):
    COMPLAINT = "complaint", _("complaint or aspiration")
    INFORMATION_REQUEST = "information_request", _("public information request (PPID)")
    VILLAGE_LETTER = "village_letter", _("village letter request")
    PERSONAL_DATA = "personal_data", _("request about one's personal data")
    STATUS = "status", _("question about a case's status")
    GREETING = "greeting", _("greeting or small talk")
    SPAM = "spam", _("spam")

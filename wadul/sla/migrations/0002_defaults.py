"""The regency's starting clock: office hours, a 24/7 schedule, targets, the ladder."""

import datetime

from django.db import migrations

TARGETS = [
    # case type, first response (working minutes), next response, resolution, extension
    # (working days)
    ("complaint", 120, 1, 5, 0),
    ("suggestion", 120, 1, 10, 0),
    ("service_request", 120, 1, 5, 0),
    ("information_request", 120, 1, 10, 7),
]

STEPS = [
    # name, deadline, offset (working minutes), recipients
    ("Pengingat 30 menit sebelum batas respons", "responses", -30, "assigned"),
    ("Pengingat 1 hari kerja sebelum batas penyelesaian", "resolution", -510, "assigned"),
    ("Batas waktu terlewati", "all", 0, "assigned"),
    ("Eskalasi ke kepala unit (2 jam kerja setelah batas)", "all", 120, "head"),
    ("Eskalasi ke pimpinan (1 hari kerja setelah batas)", "all", 510, "supervisors"),
]


def create(apps, schema_editor):
    Schedule = apps.get_model("sla", "Schedule")
    ScheduleHours = apps.get_model("sla", "ScheduleHours")
    Target = apps.get_model("sla", "Target")
    EscalationStep = apps.get_model("sla", "EscalationStep")
    CalendarRevision = apps.get_model("sla", "CalendarRevision")
    office, created = Schedule.objects.get_or_create(
        name="Jam kerja kantor", defaults={"is_default": True}
    )
    if created:
        for weekday in range(5):
            ScheduleHours.objects.create(
                schedule=office,
                weekday=weekday,
                opens=datetime.time(7, 30),
                closes=datetime.time(16, 0),
            )
    Schedule.objects.get_or_create(
        name="24 jam", defaults={"always_open": True, "observes_holidays": False}
    )
    for case_type, first, nxt, resolution, extension in TARGETS:
        Target.objects.get_or_create(
            case_type=case_type,
            unit=None,
            defaults={
                "first_response_minutes": first,
                "next_response_days": nxt,
                "resolution_days": resolution,
                "extension_days": extension,
            },
        )
    if not EscalationStep.objects.exists():
        for name, deadline, offset, recipients in STEPS:
            EscalationStep.objects.create(
                name=name, applies_to=deadline, offset_minutes=offset, recipients=recipients
            )
    CalendarRevision.objects.get_or_create(pk=1)


def remove(apps, schema_editor):
    for model in ("EscalationStep", "Target", "ScheduleHours", "Schedule", "CalendarRevision"):
        apps.get_model("sla", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]

"""Fill the handling OPD of the requests made before it was stored: the unit of the last
assignment or transfer before any objection that did not go to the atasan PPID (else the
case's unit, unless that is the atasan's)."""

from django.db import migrations


def fill(apps, schema_editor):
    PpidRequest = apps.get_model("ppid", "PpidRequest")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Desk = apps.get_model("ppid", "Desk")
    atasan = set(Desk.objects.filter(role="atasan").values_list("unit_id", flat=True))
    rows = PpidRequest.objects.filter(handling_unit__isnull=True).order_by("pk")
    last = 0
    while True:
        batch = list(
            rows.filter(pk__gt=last).values_list("pk", "case_id", "case__unit_id", "objected_at")[
                :2000
            ]
        )
        if not batch:
            return
        last = batch[-1][0]
        for pk, case_id, case_unit_id, objected_at in batch:
            moves = CaseEvent.objects.filter(
                case_id=case_id, kind__in=["assigned", "transferred"], to_unit__isnull=False
            ).exclude(to_unit_id__in=atasan)
            if objected_at is not None:
                moves = moves.filter(at__lt=objected_at)
            unit_id = moves.order_by("-at", "-pk").values_list("to_unit_id", flat=True).first()
            if unit_id is None and case_unit_id not in atasan:
                unit_id = case_unit_id
            if unit_id is not None:
                PpidRequest.objects.filter(pk=pk).update(handling_unit_id=unit_id)


class Migration(migrations.Migration):
    dependencies = [
        ("ppid", "0005_handling_unit"),
        ("cases", "0009_request_kinds"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

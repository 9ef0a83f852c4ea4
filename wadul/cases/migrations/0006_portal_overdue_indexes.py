"""Indexes for the supervisor dashboard's overdue cases (wadul.portal.stats.overdue_by_unit):
open cases by their running deadlines. Written as SQL so the cases model stays the cases
app's own; the status list must match `wadul.cases.models.OPEN_STATUSES`."""

from django.db import migrations

OPEN = (
    "status IN ('received', 'triage', 'assigned', 'in_progress', 'waiting', 'answered', "
    "'reopened')"
)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_portal_published_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS case_open_first_response_due ON cases_case "
            f"(first_response_due_at) WHERE first_response_at IS NULL AND {OPEN}",
            reverse_sql="DROP INDEX IF EXISTS case_open_first_response_due",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS case_open_resolution_due ON cases_case "
            f"(resolution_due_at) WHERE {OPEN}",
            reverse_sql="DROP INDEX IF EXISTS case_open_resolution_due",
        ),
    ]

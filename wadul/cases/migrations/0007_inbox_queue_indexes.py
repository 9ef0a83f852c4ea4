"""Indexes for the staff inbox's queues (issue 7: ≤ 100 ms p95 with 1,000,000 cases).

- `case_running_next_due` / `case_running_unit_next_due`: the nearest running deadline of a
  case, exactly the expression `wadul.inbox.queues.next_deadline()` builds, over cases whose
  clock runs (open, not waiting). "Overdue" and "due soon" become one index range (per unit
  for staff and heads) instead of three OR-ed deadline scans that each matched most open cases.
- `case_triage_time`: the triage queue, newest first, without walking every case by date.

Written as SQL so the cases model stays the cases app's own (as in 0006); PostgreSQL spells
the nearest value LEAST, SQLite MIN. The status lists must match
`wadul.cases.models.OPEN_STATUSES`.
"""

from django.db import migrations

RUNNING = "status IN ('received', 'triage', 'assigned', 'in_progress', 'answered', 'reopened')"
TRIAGE = "status IN ('received', 'triage')"


def _next_due(vendor: str) -> str:
    if vendor == "postgresql":
        never, nearest = "'9999-12-31 00:00:00+00'::timestamptz", "LEAST"
    else:
        never, nearest = "'9999-12-31 00:00:00'", "MIN"
    return (
        f"{nearest}("
        f"COALESCE(CASE WHEN first_response_at IS NULL THEN first_response_due_at END, {never}), "
        f"COALESCE(next_response_due_at, {never}), "
        f"COALESCE(resolution_due_at, {never}))"
    )


def _statements(vendor: str) -> list[tuple[str, str]]:
    next_due = _next_due(vendor)
    return [
        (
            f"CREATE INDEX case_running_next_due ON cases_case (({next_due})) WHERE {RUNNING}",
            "DROP INDEX IF EXISTS case_running_next_due",
        ),
        (
            f"CREATE INDEX case_running_unit_next_due ON cases_case (unit_id, ({next_due})) "
            f"WHERE {RUNNING}",
            "DROP INDEX IF EXISTS case_running_unit_next_due",
        ),
        (
            f"CREATE INDEX case_triage_time ON cases_case (created_at DESC, id DESC) WHERE {TRIAGE}",
            "DROP INDEX IF EXISTS case_triage_time",
        ),
    ]


def forwards(apps, schema_editor) -> None:
    for sql, _reverse in _statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        # Statistics of the indexed expression, so the planner picks the new indexes now
        # rather than after autovacuum's next pass over a large table.
        schema_editor.execute("ANALYZE cases_case")


def backwards(apps, schema_editor) -> None:
    for _sql, reverse in reversed(_statements(schema_editor.connection.vendor)):
        schema_editor.execute(reverse)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_portal_overdue_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]

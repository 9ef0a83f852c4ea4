"""Indexes for the public portal's list of published cases (wadul.portal.public).

Partial indexes hold only published cases, ordered as the list pages them (newest first,
keyset on created_at, id), one per filter column; on PostgreSQL a GIN index serves the
full-text search; the Atom feed has an index of answers by time. Written as SQL (not model
indexes) so the cases model stays the cases app's own; the predicate must match
`wadul.portal.public.published_cases()`.
"""

from django.db import migrations

PUBLISHED = (
    "visibility IN ('public', 'anonymous') AND status IN ('assigned', 'in_progress', "
    "'waiting', 'answered', 'resolved', 'closed', 'reopened', 'referred')"
)
INDEXES = {
    "case_published_time": "created_at DESC, id DESC",
    "case_published_unit": "unit_id, created_at DESC, id DESC",
    "case_published_region": "region_id, created_at DESC, id DESC",
    "case_published_status": "status, created_at DESC, id DESC",
    "case_published_type": "type, created_at DESC, id DESC",
}


# The Atom feed walks the newest answers and keeps those of published cases.
ANSWERS_INDEX = (
    "CREATE INDEX IF NOT EXISTS message_outbound_time ON cases_message "
    "(created_at DESC, id DESC) WHERE direction = 'outbound'"
)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS case_published_search ON cases_case USING gin "
            "(to_tsvector('simple', subject || ' ' || description)) WHERE " + PUBLISHED
        )


def drop_search_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS case_published_search")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_clock_event_kinds")]

    operations = [
        *(
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON cases_case ({columns}) WHERE {PUBLISHED}",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, columns in INDEXES.items()
        ),
        migrations.RunSQL(ANSWERS_INDEX, reverse_sql="DROP INDEX IF EXISTS message_outbound_time"),
        migrations.RunPython(create_search_index, drop_search_index),
    ]

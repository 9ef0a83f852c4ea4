"""Full-text search structures (per database) and indexes for the inbox queues.

PostgreSQL: a stored generated tsvector column (Indonesian configuration) with a GIN index.
SQLite: an FTS5 table kept in step with inbox_casesearch by triggers.
Both: indexes on cases_case for "mine" and the deadline queues.
"""

from django.db import migrations

POSTGRES = [
    (
        "ALTER TABLE inbox_casesearch ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('indonesian'::regconfig, document)) STORED",
        "ALTER TABLE inbox_casesearch DROP COLUMN search_vector",
    ),
    (
        "CREATE INDEX inbox_casesearch_vector ON inbox_casesearch USING GIN (search_vector)",
        "DROP INDEX IF EXISTS inbox_casesearch_vector",
    ),
]

SQLITE = [
    (
        "CREATE VIRTUAL TABLE inbox_casesearch_fts USING fts5("
        "document, tokenize = 'unicode61 remove_diacritics 2')",
        "DROP TABLE IF EXISTS inbox_casesearch_fts",
    ),
    (
        "CREATE TRIGGER inbox_casesearch_ai AFTER INSERT ON inbox_casesearch BEGIN "
        "INSERT INTO inbox_casesearch_fts(rowid, document) VALUES (new.case_id, new.document); "
        "END",
        "DROP TRIGGER IF EXISTS inbox_casesearch_ai",
    ),
    (
        "CREATE TRIGGER inbox_casesearch_ad AFTER DELETE ON inbox_casesearch BEGIN "
        "DELETE FROM inbox_casesearch_fts WHERE rowid = old.case_id; END",
        "DROP TRIGGER IF EXISTS inbox_casesearch_ad",
    ),
    (
        "CREATE TRIGGER inbox_casesearch_au AFTER UPDATE ON inbox_casesearch BEGIN "
        "UPDATE inbox_casesearch_fts SET document = new.document WHERE rowid = old.case_id; END",
        "DROP TRIGGER IF EXISTS inbox_casesearch_au",
    ),
]

BOTH = [
    (
        "CREATE INDEX inbox_case_assignee ON cases_case (assigned_to_id, status, created_at)",
        "DROP INDEX IF EXISTS inbox_case_assignee",
    ),
    (
        "CREATE INDEX inbox_case_first_due ON cases_case (first_response_due_at) "
        "WHERE first_response_due_at IS NOT NULL",
        "DROP INDEX IF EXISTS inbox_case_first_due",
    ),
    (
        "CREATE INDEX inbox_case_next_due ON cases_case (next_response_due_at) "
        "WHERE next_response_due_at IS NOT NULL",
        "DROP INDEX IF EXISTS inbox_case_next_due",
    ),
    (
        "CREATE INDEX inbox_case_resolution_due ON cases_case (resolution_due_at) "
        "WHERE resolution_due_at IS NOT NULL",
        "DROP INDEX IF EXISTS inbox_case_resolution_due",
    ),
]


def _statements(vendor):
    specific = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, [])
    return specific + BOTH


def forwards(apps, schema_editor):
    for sql, _reverse in _statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)
    _backfill(apps)


def backwards(apps, schema_editor):
    for _sql, reverse in reversed(_statements(schema_editor.connection.vendor)):
        schema_editor.execute(reverse)


def _backfill(apps):
    # Cases that existed before the inbox had search (e.g. a loaded demo).
    Case = apps.get_model("cases", "Case")
    Message = apps.get_model("cases", "Message")
    CaseSearch = apps.get_model("inbox", "CaseSearch")
    batch = []
    for case in Case.objects.only("pk", "tracking_number", "subject").iterator(chunk_size=2000):
        texts = Message.objects.filter(case_id=case.pk).values_list("text", flat=True)
        document = "\n".join([case.tracking_number, case.subject, *texts])
        batch.append(CaseSearch(case_id=case.pk, document=document))
        if len(batch) >= 2000:
            CaseSearch.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    CaseSearch.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0001_initial"),
        ("cases", "0002_case_channel_number_and_deadlines"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Full-text search over case text and messages.

PostgreSQL: `inbox_casesearch.search_vector`, a stored column generated with the
Indonesian configuration and indexed with GIN. SQLite: the FTS5 table
`inbox_casesearch_fts`, kept in step with `inbox_casesearch` by triggers. Both are made in
migration 0002. The document grows as messages are stored (a `post_save` receiver, so it is
written in the same transaction as the message).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save
from django.dispatch import receiver

from wadul.cases import tracking
from wadul.cases.models import Case, Message
from wadul.inbox.models import CaseSearch

_WORD = re.compile(r"\w+", re.UNICODE)


def document_head(case: Case) -> str:
    return f"{case.tracking_number}\n{case.subject}"


def append(case: Case, text: str) -> None:
    """Add `text` to the case's search document (creating the document if needed)."""
    text = (text or "").strip()
    if _append_existing(case.pk, "\n" + text):
        return
    try:
        with transaction.atomic():
            CaseSearch.objects.create(case=case, document=f"{document_head(case)}\n{text}")
    except IntegrityError:  # created meanwhile by another message of the same case
        _append_existing(case.pk, "\n" + text)


def _append_existing(case_id: int, text: str) -> bool:
    # Hand-written: every message stored runs this, and the ORM's Concat update costs
    # about ten times the statement (`||` concatenates text on SQLite and PostgreSQL).
    table = connection.ops.quote_name(CaseSearch._meta.db_table)
    document = connection.ops.quote_name(CaseSearch._meta.get_field("document").column)
    case = connection.ops.quote_name(CaseSearch._meta.get_field("case").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {document} = {document} || %s WHERE {case} = %s",  # noqa: S608
            [text, case_id],
        )
        return cursor.rowcount > 0


@receiver(post_save, sender=Message, dispatch_uid="inbox_search_message")
def _index_message(sender, instance: Message, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        append(instance.case, instance.text)


def rebuild(case: Case) -> None:
    """Recompute a case's document from scratch (after imports that bypassed messages)."""
    texts = list(case.messages.values_list("text", flat=True))
    document = "\n".join([document_head(case), *texts])
    CaseSearch.objects.update_or_create(case=case, defaults={"document": document})


def _fts5_query(text: str) -> str:
    # Every word must occur, each as a prefix ("lubang" finds "lubangnya"); quoting each
    # token keeps FTS5 syntax characters in user input harmless.
    return " ".join(f'"{word}"*' for word in _WORD.findall(text))


def filter_cases(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """`cases` narrowed to those whose text matches `text` (all words, any order)."""
    text = (text or "").strip()
    if not text:
        return cases
    matches = _text_matches(text)
    # "jembatan" is also a well-formed tracking number: look for both.
    number = tracking.normalise(text)
    if number:
        matches |= Q(tracking_number=number)
    return cases.filter(matches)


def _text_matches(text: str) -> Q:
    if connection.vendor == "postgresql":
        ids = RawSQL(
            "SELECT case_id FROM inbox_casesearch "
            "WHERE search_vector @@ websearch_to_tsquery('indonesian', %s)",
            (text,),
        )
        return Q(pk__in=ids)
    query = _fts5_query(text)
    if not query:
        return Q(pk__in=[])
    ids = RawSQL(
        "SELECT rowid FROM inbox_casesearch_fts WHERE inbox_casesearch_fts MATCH %s", (query,)
    )
    return Q(pk__in=ids)

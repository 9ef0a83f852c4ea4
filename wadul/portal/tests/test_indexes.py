from __future__ import annotations

from importlib import import_module

from django.db import connection

from wadul.portal.public import PUBLISHED_STATUSES, PUBLISHED_VISIBILITIES


def test_the_published_index_predicate_matches_the_publication_rule():
    migration = import_module("wadul.cases.migrations.0005_portal_published_indexes")
    for value in (*PUBLISHED_STATUSES, *PUBLISHED_VISIBILITIES):
        assert f"'{value}'" in migration.PUBLISHED


def test_the_published_indexes_exist(db):
    with connection.cursor() as cursor:
        names = {
            name
            for constraint in connection.introspection.get_constraints(cursor, "cases_case")
            for name in [constraint]
        }
    assert {"case_published_time", "case_published_unit", "case_published_region"} <= names

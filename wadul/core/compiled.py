"""Queries run for every incoming message, compiled by the ORM once per process.

The ORM builds the same SQL anew on every call, at several times what SQLite takes to answer
it. A query here is compiled once from an example with placeholder values, then run raw
(same columns, same conversions) with the real ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
_SQL: dict[tuple[str, str, str], str] = {}


def rows(
    model: type[M], example: Callable[[], QuerySet[M]], example_params: tuple, params: Sequence
) -> list[M]:
    """The rows of `example()`'s query with `params` in place of `example_params` (exactly
    the parameters the ORM puts in its SQL, in order). `example` is a named function: it
    names the query."""
    key = (connection.alias, example.__module__, example.__qualname__)
    sql = _SQL.get(key)
    if sql is None:
        sql, compiled_params = example().query.sql_with_params()
        if compiled_params != example_params:
            raise RuntimeError(f"{example.__qualname__}: unexpected parameters {compiled_params!r}")
        _SQL[key] = sql
    return list(model.objects.raw(sql, list(params)))

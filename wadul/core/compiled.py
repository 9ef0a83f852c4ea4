"""Queries run for every incoming message, compiled by the ORM once per process.

The ORM builds the same SQL anew on every call, at several times what SQLite takes to answer
it. A query here is compiled once from an example with placeholder values — its SQL, the
model fields its columns fill and the database's value converters — then run with the real
values, each row made an instance as the ORM's own iterator does (`Model.from_db`). (A raw
queryset would work out the columns and converters again on every call.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    attnames: list[str]
    compiler: Any  # the example's SQL compiler: it applies the converters
    converters: dict


_COMPILED: dict[tuple[str, str, str], _Compiled] = {}


def _compile(example: Callable[[], QuerySet], example_params: tuple) -> _Compiled:
    compiler = example().query.get_compiler(using=connection.alias)
    sql, compiled_params = compiler.as_sql()
    if compiled_params != example_params:
        raise RuntimeError(f"{example.__qualname__}: unexpected parameters {compiled_params!r}")
    columns = compiler.select[: compiler.col_count]
    if compiler.klass_info is None or len(compiler.klass_info["select_fields"]) != len(columns):
        raise RuntimeError(f"{example.__qualname__}: only a model's own columns can be compiled")
    return _Compiled(
        sql=sql,
        attnames=[column[0].target.attname for column in columns],
        compiler=compiler,
        converters=compiler.get_converters([column[0] for column in columns]),
    )


def rows(
    model: type[M], example: Callable[[], QuerySet[M]], example_params: tuple, params: Sequence
) -> list[M]:
    """The rows of `example()`'s query with `params` in place of `example_params` (exactly
    the parameters the ORM puts in its SQL, in order). `example` is a named function: it
    names the query."""
    key = (connection.alias, example.__module__, example.__qualname__)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = _compile(example, example_params)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, list(params))
        values = cursor.fetchall()
    if compiled.converters:
        values = compiled.compiler.apply_converters(values, compiled.converters)
    alias = connection.alias
    return [model.from_db(alias, compiled.attnames, row) for row in values]

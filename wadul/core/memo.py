"""Lookups remembered for one short piece of work.

The worker processes webhook deliveries in batches of a few dozen milliseconds; inside one
batch the same questions come back for every message (who is on duty in this unit, which
number does it speak from, is this sender an official). `remembered()` opens a scope in which
`remember(key, compute)` answers each key once; outside a scope it always computes, so code
that calls it behaves exactly as before wherever nobody opened one. Nothing outlives the
scope, so nothing goes stale for longer than the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_scope: ContextVar[dict[Hashable, object] | None] = ContextVar("wadul_memo", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """A scope for `remember` (nested scopes share the outermost one)."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def active() -> bool:
    """Inside a `remembered()` scope?"""
    return _scope.get() is not None


def remember(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()`, once per `key` inside a `remembered()` scope. Keys are tuples whose first
    item names the kind of lookup, so `forget` can drop one kind."""
    scope = _scope.get()
    if scope is None:
        return compute()
    if key not in scope:
        scope[key] = compute()
    return scope[key]  # type: ignore[return-value]


def forget(kind: str) -> None:
    """Drop what the current scope remembers under `kind` (after changing what it reads)."""
    scope = _scope.get()
    if scope is not None:
        for key in [k for k in scope if isinstance(k, tuple) and k and k[0] == kind]:
            del scope[key]

"""Periodic tasks: apps register django_tasks tasks here; `wadul sla_scheduler` enqueues
each of them every minute (each task decides whether there is anything to do)."""

from __future__ import annotations

from typing import Any

EVERY_MINUTE: list[Any] = []


def every_minute(*tasks: Any) -> None:
    """Register tasks with the scheduler (once each, however often an app is readied)."""
    for task in tasks:
        if task not in EVERY_MINUTE:
            EVERY_MINUTE.append(task)

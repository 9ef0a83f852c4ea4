"""Long-running processes that `wadul serve_demo` starts beside the web server and workers."""

from __future__ import annotations

# Extra long-running processes other apps add (e.g. the clock's scheduler):
# a list of (name, argv) built at start-up.
EXTRA_PROCESSES: list[tuple[str, list[str]]] = []

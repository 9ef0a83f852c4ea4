"""Public information requests (PPID)."""

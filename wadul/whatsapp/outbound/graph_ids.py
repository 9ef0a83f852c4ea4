"""Ids from payloads (media ids, phone number ids) go into Graph API paths only when they
cannot change the path: no slash, dot, percent sign or anything but letters, digits, `_`
and `-`. Meta's ids are digits; recorded fixtures also hold hex ids."""

from __future__ import annotations

import re

_PATH_ID = re.compile(r"[A-Za-z0-9_\-]{1,128}")


def is_path_id(value: str) -> bool:
    return isinstance(value, str) and _PATH_ID.fullmatch(value) is not None

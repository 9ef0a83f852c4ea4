"""Media held by the simulator: uploads, the files users send, and signed download URLs.

A mixin of `Simulator` (core.py): the methods take its lock.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from typing import Any

from wadul.simulator import payloads
from wadul.simulator.state import Media

MEDIA_URL_TTL = 300  # Meta's media URLs live five minutes


class MediaStore:
    lock: threading.RLock
    config: dict[str, Any]
    media: dict[str, Media]
    media_key: bytes

    def store_media(self, data: bytes, mime_type: str, filename: str = "", pnid: str = "") -> Media:
        with self.lock:
            media = Media(
                id=payloads.media_id(),
                data=data,
                mime_type=mime_type or "application/octet-stream",
                filename=filename,
                phone_number_id=pnid,
            )
            self.media[media.id] = media
            return media

    def media_url(self, media: Media, base_url: str) -> str:
        expires = int(time.time()) + MEDIA_URL_TTL
        return (
            f"{base_url}/whatsapp_business/attachments/?mid={media.id}&ext={expires}"
            f"&hash={self._media_hash(media.id, expires)}"
        )

    def _media_hash(self, mid: str, expires: int) -> str:
        return hmac.new(self.media_key, f"{mid}:{expires}".encode(), hashlib.sha256).hexdigest()[
            :32
        ]

    def take_corruption(self) -> bool:
        """Whether this download should arrive damaged (`corrupt_downloads` counts down)."""
        with self.lock:
            if self.config["corrupt_downloads"] <= 0:
                return False
            self.config["corrupt_downloads"] -= 1
            return True

    def media_for_url(self, mid: str, ext: str, given_hash: str) -> Media | None:
        """The media a download URL points at, or None if unknown, tampered with or expired."""
        try:
            expires = int(ext)
        except ValueError:
            return None
        if expires < time.time() or not hmac.compare_digest(
            given_hash.encode(), self._media_hash(mid, expires).encode()
        ):
            return None
        return self.media.get(mid)

"""Images cleaned before anyone but the citizen sees them, from every channel.

A phone photo carries EXIF: the GPS position where it was taken (often the reporter's
house, far more precise than the rounded point the portal publishes), the owner's name,
the camera's serial number. Nobody needs them — not the public once the photo is approved,
not the unit of a confidential report. The pixels are kept, turned the way the camera's
orientation tag said, and written again without any metadata (the colour profile stays).

The size is read from the header before anything is decoded: a small PNG can declare
10,000 × 10,000 pixels and cost most of a gigabyte to decode (a decompression bomb).
"""

from __future__ import annotations

import io
import warnings
from typing import IO

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class NotAnImage(ValueError):
    """Not an image we can clean (unknown format, broken, or too many pixels)."""


class TooManyPixels(NotAnImage):
    pass


def kind_of(content_type: str) -> str | None:
    """The image type we can clean, from a (possibly parametrised) content type."""
    base = (content_type or "").split(";")[0].strip().lower()
    return base if base in FORMATS else None


def check_pixels(source: IO[bytes]) -> tuple[int, int]:
    """Width and height from the header alone; refuses more than MEDIA_MAX_PIXELS."""
    try:
        # Pillow only warns below twice its own limit; ours is the one that counts.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise NotAnImage(str(error)) from error
    finally:
        source.seek(0)
    if width * height > settings.MEDIA_MAX_PIXELS:
        raise TooManyPixels(f"{width} × {height} pixels")
    return width, height


def without_metadata(source: IO[bytes], content_type: str) -> bytes:
    """The image re-encoded without metadata, upright (JPEG, PNG or WebP in, same out)."""
    fmt = FORMATS[kind_of(content_type) or ""] if kind_of(content_type) else None
    if fmt is None:
        raise NotAnImage(f"cannot clean {content_type!r}")
    check_pixels(source)
    try:
        with Image.open(source) as image:
            if image.format not in FORMATS.values():
                raise NotAnImage(f"{image.format} is not an accepted image format")
            image.load()
            upright = ImageOps.exif_transpose(image)
            icc = image.info.get("icc_profile")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise NotAnImage(str(error)) from error
    out = io.BytesIO()
    options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
    if icc:
        options["icc_profile"] = icc
    if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    upright.save(out, fmt, **options)
    return out.getvalue()


def cleaned_upload(content: bytes, content_type: str) -> tuple[bytes, str]:
    """What a channel stores for a received file: an image re-encoded without metadata;
    anything else as it came (only images are ever published). NotAnImage when an image
    cannot be cleaned: it is not stored at all, so never shown to the unit or the public."""
    kind = kind_of(content_type)
    if kind is None:
        return content, content_type
    return without_metadata(io.BytesIO(content), kind), kind

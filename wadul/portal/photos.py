"""Photos from the web form, stored without their metadata.

A phone photo carries EXIF: the GPS position where it was taken (often the reporter's
house, far more precise than the rounded point the portal publishes), the owner's name,
the camera's serial number. Nobody needs them — not the public once the photo is approved,
not the unit of a confidential report. The pixels are kept, turned the way the camera's
orientation tag said, and written again without any metadata (the colour profile stays).
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


class NotAPhoto(ValueError):
    pass


def without_metadata(upload, content_type: str) -> SimpleUploadedFile:
    """A copy of `upload` (JPEG, PNG or WebP) without metadata, upright."""
    try:
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            icc = image.info.get("icc_profile")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise NotAPhoto(str(error)) from error
    out = io.BytesIO()
    fmt = FORMATS[content_type]
    options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
    if icc:
        options["icc_profile"] = icc
    if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    upright.save(out, fmt, **options)
    return SimpleUploadedFile(upload.name, out.getvalue(), content_type=content_type)

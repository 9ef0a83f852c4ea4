"""Is an uploaded "photo" of a KTP, KK or RT letter a readable image? A simple, honest check
(no vision model): Pillow must open it, it must be big enough to read, and not blurred.

Blur is measured as the variance of the Laplacian of the greyscale picture scaled down to
at most 640 px (so a 12-megapixel phone photo and a 1-megapixel scan are measured alike;
the one-pixel border the filter leaves untouched is cut off). Calibrated on a synthetic
KTP (text in a 28 px font on a 1000 × 630 card): sharp ≈ 800, JPEG quality 70 ≈ 800,
Gaussian blur radius 1 ≈ 450, radius 2 ≈ 47, radius 3 ≈ 6, a blank page 0. The threshold
(30) refuses only what is clearly unreadable: a wrong refusal costs the citizen a trip
for nothing, a borderline photo that passes only costs the operator a correction request.
"""

from __future__ import annotations

from typing import IO

from PIL import Image, ImageFilter, ImageStat, UnidentifiedImageError

from wadul.cases.kinds import InvalidAnswer

MIN_SIDE = 300  # px, the shorter side: below this a KTP's NIK cannot be read
MEASURE_SIDE = 640
BLUR_THRESHOLD = 30.0
# The Laplacian; offset 128 keeps negative responses inside 0–255.
_LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)

NOT_AN_IMAGE = (
    "Berkas ini bukan foto. Mohon unggah foto (JPG atau PNG) dokumen aslinya, "
    "bukan PDF atau dokumen Word."
)
TOO_SMALL = "Foto terlalu kecil untuk dibaca. Mohon foto ulang dokumen dari dekat."
BLURRED = (
    "Foto terlalu buram atau kosong, tulisannya tidak terbaca. Mohon foto ulang dengan "
    "cahaya cukup dan kamera tidak bergerak."
)


def sharpness(image: Image.Image) -> float:
    """The variance of the Laplacian of the downscaled greyscale picture (higher: sharper)."""
    grey = image.convert("L")
    grey.thumbnail((MEASURE_SIDE, MEASURE_SIDE))
    edges = grey.filter(_LAPLACIAN)
    edges = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    return ImageStat.Stat(edges).var[0]


def check(file: IO[bytes]) -> None:
    """Refuse (InvalidAnswer, in Indonesian) a file that is not a readable photo; the file
    is left at its start for whoever saves it."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.load()
            width, height = image.size
            score = sharpness(image) if min(width, height) >= MIN_SIDE else None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InvalidAnswer(NOT_AN_IMAGE) from None
    finally:
        file.seek(0)
    if score is None:
        raise InvalidAnswer(TOO_SMALL)
    if score < BLUR_THRESHOLD:
        raise InvalidAnswer(BLURRED)

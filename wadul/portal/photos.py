"""Photos from the web form, cleaned (`wadul.core.images`) only once the report is accepted:
after the form is valid and the address is within its hourly limit, so that neither an
invalid form nor a flood of posts makes the server decode anything.

The cleaned files are named by their position (`foto-1.jpg`): the name on the citizen's
phone (often their own name, or a date and place) is kept nowhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile

from wadul.core.images import EXTENSIONS, NotAnImage, without_metadata


class NotAPhoto(ValueError):
    def __init__(self, position: int, reason: str) -> None:
        super().__init__(reason)
        self.position = position


def cleaned(uploads: Sequence) -> list[SimpleUploadedFile]:
    """Every upload re-encoded without metadata; NotAPhoto names the first that fails."""
    out = []
    for position, upload in enumerate(uploads, start=1):
        try:
            content = without_metadata(upload, upload.content_type)
        except NotAnImage as error:
            raise NotAPhoto(position, str(error)) from None
        name = f"foto-{position}.{EXTENSIONS[upload.content_type]}"
        out.append(SimpleUploadedFile(name, content, content_type=upload.content_type))
    return out

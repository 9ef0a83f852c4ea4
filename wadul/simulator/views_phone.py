from __future__ import annotations

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("phone page: coming soon", status=501)


index = page = chat = send = media = played = _todo

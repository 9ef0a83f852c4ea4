"""What a restore must reproduce, read through the ORM so that the same code describes the
original database (in the test) and the restored one (in a process of its own)."""

from __future__ import annotations

import hashlib
import json

from django.apps import apps


def snapshot() -> dict:
    from wadul.cases.models import Attachment, Case, Message

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
    }
    cases = list(Case.objects.order_by("id").values_list("tracking_number", "status", "unit_id"))
    messages = list(Message.objects.order_by("id").values_list("case_id", "text"))
    files = {}
    for attachment in Attachment.objects.order_by("id"):
        with attachment.file.open("rb") as handle:
            files[attachment.file.name] = hashlib.sha256(handle.read()).hexdigest()
    return {"counts": counts, "cases": cases, "messages": messages, "files": files}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(snapshot(), default=str))

"""What the citizen is told about a letter request beyond the core's acknowledgement."""

from __future__ import annotations

import logging

from wadul.cases import services as case_services
from wadul.cases.channels import Notice, Purpose
from wadul.cases.models import CaseEvent
from wadul.desa.kind import CODE, SERVICE_FIELD
from wadul.desa.models import Service

logger = logging.getLogger(__name__)


def on_case_event(sender, event: CaseEvent, historical: bool = False, **kwargs) -> None:
    """Right after a letter request opens: its target time and fee, with the tracking
    number (the acknowledgement has told the number already)."""
    if historical or event.kind != CaseEvent.Kind.OPENED:
        return
    case = event.case
    if case.type != CODE:
        return
    service = Service.objects.filter(
        unit_id=case.unit_id, code=(case.details or {}).get(SERVICE_FIELD, "")
    ).first()
    if service is None:
        return
    text = (
        f"Permohonan {service.name} nomor {case.tracking_number} kami terima. "
        f"Target selesai: {service.target_hours} jam kerja. Biaya: {service.fee_note}"
    )
    try:
        case_services.notify_citizen(
            case,
            text=text,
            notice=Notice(
                purpose=Purpose.STATUS_UPDATE, template_params=[case.tracking_number, text]
            ),
        )
    except Exception:  # the request stands even if this notice fails
        logger.exception("target notice of %s failed", case.pk)

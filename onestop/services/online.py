"""Online submission from the public pages: the applicant's email confirmed by a one-time code
(``eoffice.otp`` with ``OTP_PURPOSE``, checked by the caller), then the dossier sent with its scans (checked
later at the counter, ``reception.dossier_check``)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role
from eoffice.services import notify
from onestop.models import Channel, Dossier, Procedure
from onestop.selectors import staff_with_role
from onestop.services.core import email_applicant
from onestop.services.reception import (
    Applicant,
    PaperInput,
    add_papers,
    apply_applicant,
    check_procedure,
    new_reference,
)
from workflow import services as wf
from workflow.models import HistoryEntry

OTP_PURPOSE = "onestop"  # eoffice.otp keeps one-stop codes apart from other pages' codes


def online_submit(
    *,
    procedure: Procedure,
    applicant: Applicant,
    papers: list[PaperInput],
    summary: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Dossier:
    """A dossier sent from the public page (the applicant's email already confirmed by the caller)."""
    check_procedure(procedure)
    if not procedure.accepts_online:
        raise ValidationError(_("Thủ tục này không tiếp nhận hồ sơ trực tuyến."))
    if not applicant.email:
        raise ValidationError(_("Cần địa chỉ thư điện tử đã xác thực."))
    sent = {p.required.pk for p in papers if p.required is not None and p.file}
    lacking = [p.name for p in procedure.papers.filter(mandatory=True) if p.pk not in sent]
    if lacking:
        raise ValidationError(_("Vui lòng tải lên: %(names)s.") % {"names": "; ".join(lacking)})
    with transaction.atomic():
        dossier = Dossier(
            agency_id=procedure.agency_id,
            procedure=procedure,
            reference=new_reference(),
            channel=Channel.ONLINE,
            summary=summary.strip()[:500],
            note=note.strip(),
            submitted_at=now or timezone.now(),
        )
        apply_applicant(dossier, applicant)
        dossier.save()
        wf.history_add(
            record=dossier, event=HistoryEntry.Event.CREATED, actor=None, to_state=dossier.state, at=now
        )
        add_papers(dossier, [p for p in papers if p.file], now=now)
        notify(
            recipients=staff_with_role(procedure.agency_id, Role.ONESTOP_OFFICER),
            kind="onestop.submitted",
            title=_("Hồ sơ trực tuyến mới: %(name)s") % {"name": procedure.name[:200]},
            body=_("Người nộp: %(name)s") % {"name": dossier.applicant_name},
            url=dossier.get_absolute_url(),
        )
        email_applicant(dossier, "submitted")
    return dossier

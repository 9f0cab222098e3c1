"""The signatures of the minutes (biên bản): the ``on_signed`` hooks of their ``SignatureRequest``s.

They run inside the signing transaction (one savepoint with the signature): if anything here fails, the
signing module rolls back the signature and this, and marks the request failed.

- ``secretary_signed``: the secretary signed; the presider is asked next, on the signed bytes (pyHanko
  appends the second signature as an incremental update, so the first stays valid), in the presider's box.
- ``presider_signed``: the presider signed; the PDF with both signatures is the minutes' file.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.services import notify
from meetings.models import Minutes
from meetings.render import minutes as render
from signing.appearance import StampBox
from signing.models import SignatureRequest
from workflow import services as wf
from workflow.models import HistoryEntry


def _minutes(request: SignatureRequest, status: str) -> Minutes:
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting", "secretary", "presider")
        .filter(sign_request=request)
        .first()
    )
    if minutes is None or minutes.status != status:
        raise wf.RecordChanged
    return minutes


def _history(minutes: Minutes, by, action: str, comment: str, **data) -> None:
    wf.history_add(
        record=minutes.meeting,
        event=HistoryEntry.Event.COMMENT,
        actor=by,
        action=action,
        comment=comment,
        data=data,
    )


def secretary_signed(request: SignatureRequest, signed: bytes) -> None:
    from signing import services as signing

    minutes = _minutes(request, Minutes.Status.SECRETARY)
    meeting = minutes.meeting
    box = StampBox.from_dict(minutes.data["boxes"]["presider"])
    following = signing.signature_request_create(
        pdf=signed,
        title=_("Biên bản: %(title)s") % {"title": meeting.title},
        requested_by=request.requested_by,
        kind=SignatureRequest.Kind.LEADER,
        signer=minutes.presider,
        box=box,
        on_signed="meetings.signflow.presider_signed",
        source_url=meeting.get_absolute_url(),
    )
    minutes.status = Minutes.Status.PRESIDER
    minutes.sign_request = following
    minutes.save(update_fields=["status", "sign_request", "updated_at"])
    _history(minutes, request.signer, "minutes_secretary_signed", _("Thư ký đã ký biên bản"))
    notify(
        recipients=[minutes.presider],
        kind="meetings.paperless",
        title=_("Biên bản chờ chủ tọa ký: %(title)s") % {"title": meeting.title[:120]},
        body=_("Thư ký %(name)s đã ký.") % {"name": minutes.secretary.get_full_name()},
        url=meeting.get_absolute_url(),
    )


def presider_signed(request: SignatureRequest, signed: bytes) -> None:
    minutes = _minutes(request, Minutes.Status.PRESIDER)
    meeting = minutes.meeting
    minutes.pdf.save(render.filename(minutes), ContentFile(signed), save=False)
    minutes.sha256 = request.result_sha256
    minutes.status = Minutes.Status.SIGNED
    minutes.signed_at = timezone.now()
    minutes.save(update_fields=["pdf", "sha256", "status", "signed_at", "updated_at"])
    _history(minutes, request.signer, "minutes_signed", _("Chủ tọa đã ký biên bản"), sha256=minutes.sha256)
    recipients = [u for u in (minutes.secretary, meeting.organiser) if u.pk != request.signer_id]
    if recipients:
        notify(
            recipients=list({u.pk: u for u in recipients}.values()),
            kind="meetings.paperless",
            title=_("Biên bản đã ký: %(title)s") % {"title": meeting.title[:120]},
            body=meeting.title[:200],
            url=meeting.get_absolute_url(),
        )

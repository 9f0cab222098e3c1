"""Meetings as records a case file holds (kind "meeting", Phụ lục VI of Decree 30): registered in
``MeetingsConfig.ready`` through ``register_all``.

- ``access``: the meeting page's own helper (``selectors.meeting_access``, the same 404 for missing and not
  the person's to see; a secret meeting only for those involved and the schedule's managers), and only a
  meeting of the person's own agency (a case file holds its own agency's records: someone of another
  agency invited to the meeting does not file it).
- ``visible_ids``: the same, in one query.
- ``snapshot``: type "Hồ sơ cuộc họp" (or "Hồ sơ sự kiện, công tác"), the meeting's day, the agency, the
  title, the chair, the pages of its files, dated by its start.
- ``files``, in the order they were made: the issued invitation (Giấy mời), the meeting's documents open to
  every participant (the restricted ones stay with their viewers), the signed minutes (Biên bản), the
  issued conclusion notice (Thông báo kết luận).

``file_this`` is the context of the "file this" block of the meeting page: prominent once the meeting was
held (approved and ended) or its minutes were signed, while no file holds it yet.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterable

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from documents.records import kinds
from eoffice.models import User
from workflow.models import WorkflowState

from . import rules, selectors
from .models import Meeting, Minutes

KEY = "meeting"
TYPE_NAMES = {Meeting.Kind.MEETING: _("Hồ sơ cuộc họp"), Meeting.Kind.EVENT: _("Hồ sơ sự kiện, công tác")}


def access(user: User, pk: int) -> Meeting:
    meeting = selectors.meeting_access(user=user, pk=pk)
    if meeting.agency_id != user.agency_id:
        raise Http404
    return meeting


def visible_ids(user: User, ids: Iterable[int]) -> set[int]:
    if not getattr(user, "agency_id", None):
        return set()
    return set(
        Meeting.objects.filter(
            rules.visible_q(user) & Q(agency_id=user.agency_id), pk__in=list(ids)
        ).values_list("pk", flat=True)
    )


def _minutes(meeting: Meeting) -> Minutes | None:
    try:
        return meeting.minutes
    except ObjectDoesNotExist:
        return None


def _conclusion(meeting: Meeting):
    try:
        return meeting.conclusion
    except ObjectDoesNotExist:
        return None


def _entries(meeting: Meeting) -> list[tuple[dt.datetime, int, kinds.RecordFile, int | None]]:
    """(made at, tie-break, the file, its pages when known)."""
    entries = []
    invitation = kinds.final_version(meeting.invitation) if meeting.invitation_id else None
    if invitation is not None:
        symbol = meeting.invitation.number_symbol
        entries.append(
            (
                meeting.invitation.issued_at,
                0,
                kinds.RecordFile(
                    name=f"giay-moi-{kinds.file_slug(symbol, str(meeting.invitation_id))}.pdf",
                    read=kinds.field_reader(invitation.file),
                    caption=gettext("Giấy mời") + (f" số {symbol}" if symbol else ""),
                    sha256=invitation.sha256,
                ),
                invitation.pages,
            )
        )
    for n, row in enumerate(
        meeting.files.filter(restricted=False).order_by("uploaded_at", "order", "id"), start=1
    ):
        extension = kinds.file_extension(row.name, default=".pdf")
        entries.append(
            (
                row.uploaded_at,
                1,
                kinds.RecordFile(
                    name=f"tai-lieu-{n:02d}{extension}",
                    read=kinds.field_reader(row.file),
                    content_type=row.content_type or mimetypes.guess_type(row.name)[0] or "application/pdf",
                    caption=row.name,
                    sha256=row.sha256,
                ),
                None,
            )
        )
    minutes = _minutes(meeting)
    if minutes is not None and minutes.status == Minutes.Status.SIGNED and minutes.pdf:
        entries.append(
            (
                minutes.signed_at or minutes.updated_at,
                2,
                kinds.RecordFile(
                    name=f"bien-ban-{meeting.pk}.pdf",
                    read=kinds.field_reader(minutes.pdf),
                    caption=gettext("Biên bản cuộc họp"),
                    sha256=minutes.sha256,
                ),
                None,
            )
        )
    conclusion = _conclusion(meeting)
    notice = (
        kinds.final_version(conclusion.notice) if conclusion is not None and conclusion.notice_id else None
    )
    if notice is not None:
        symbol = conclusion.notice.number_symbol
        entries.append(
            (
                conclusion.notice.issued_at,
                3,
                kinds.RecordFile(
                    name=f"thong-bao-ket-luan-{kinds.file_slug(symbol, str(conclusion.notice_id))}.pdf",
                    read=kinds.field_reader(notice.file),
                    caption=gettext("Thông báo kết luận") + (f" số {symbol}" if symbol else ""),
                    sha256=notice.sha256,
                ),
                notice.pages,
            )
        )
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    return entries


def files(meeting: Meeting) -> list[kinds.RecordFile]:
    return [entry[2] for entry in _entries(meeting)]


def snapshot(meeting: Meeting) -> kinds.Snapshot:
    start = timezone.localtime(meeting.start_at)
    pages = kinds.pages_of(
        known or kinds.record_file_pages(record_file) for _at, _order, record_file, known in _entries(meeting)
    )
    notes = [f"{start:%H:%M %d/%m/%Y} – {timezone.localtime(meeting.end_at):%H:%M %d/%m/%Y}"]
    if meeting.place_label:
        notes.append(meeting.place_label)
    notes.append(str(meeting.state_labels.get(meeting.state, meeting.state)))
    chair = meeting.chair
    return kinds.Snapshot(
        sort_date=meeting.start_at,
        subject=meeting.title,
        type_name=str(TYPE_NAMES.get(meeting.kind, TYPE_NAMES[Meeting.Kind.MEETING])),
        issued_date=start.date(),
        organ_name=meeting.agency.name,
        page_amount=pages,
        description="; ".join(notes),
        signer_position=(chair.position or "") if chair is not None else "",
        signer_name=meeting.chair_name,
    )


def url(meeting: Meeting) -> str:
    return meeting.get_absolute_url()


def ended(meeting: Meeting) -> bool:
    """Held (approved and over), or its minutes signed."""
    if meeting.state == WorkflowState.APPROVED and meeting.has_ended:
        return True
    minutes = _minutes(meeting)
    return minutes is not None and minutes.status == Minutes.Status.SIGNED


def file_this(*, user: User, meeting: Meeting) -> dict | None:
    """The context of the "file this" block of the meeting page: for the people of the meeting's agency
    (None for a guest of another agency: the page shows no block)."""
    if user.agency_id != meeting.agency_id:
        return None
    return kinds.file_this_block(user=user, kind=KEY, record=meeting, ended=ended(meeting))


def register_all() -> None:
    kinds.register(
        kinds.FileableKind(
            key=KEY,
            label=_("Hồ sơ cuộc họp"),
            model=Meeting,
            access=access,
            visible_ids=visible_ids,
            snapshot=snapshot,
            files=files,
            url=url,
            agency_id=lambda meeting: meeting.agency_id,
        )
    )

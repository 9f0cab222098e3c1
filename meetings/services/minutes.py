"""Minutes (biên bản, NĐ 30 Mẫu 1.9) and the conclusion notice (Thông báo kết luận).

- ``minutes_start``: once the meeting has started, the draft is made from its data (times, place, the
  attendees as the roll call left them, chủ tọa = the chair by default, the chosen thư ký, the agenda and
  the closed votes as the content's start); ``minutes_update`` edits it while it is a draft.
- ``minutes_submit``: the final PDF is rendered and goes to the signing module, no second path: a request
  for the secretary (signing queue "Chờ ký"), whose hook (``meetings.signflow``) asks the presider next on
  the signed bytes (an incremental update), whose hook keeps the signed PDF. ``minutes_withdraw`` takes it
  back to draft while a signature is still awaited.
- ``conclusion_save`` keeps the conclusions and their tasks; ``conclusion_notice_draft`` makes the outgoing
  draft (type TB) that then goes through the outgoing flow; ``conclusion_issued`` (every issued outgoing
  document, inside the issuing transaction) turns the tasks of an issued notice into work items.

Who may: the meeting's organiser, its chair and the schedule managers keep the minutes and the conclusions;
the minutes' secretary and presider edit them too (``can_keep_minutes``, ``can_edit_minutes``,
``can_conclude`` in ``meetings.rules``, read by the page's actions).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role, User
from eoffice.services import notify
from meetings import rules, selectors
from meetings.models import (
    Conclusion,
    ConclusionTask,
    Meeting,
    MeetingDocument,
    Minutes,
    Participant,
    Vote,
)
from meetings.render import minutes as render
from workflow import calendar
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

__all__ = [
    "conclusion_issued",
    "conclusion_notice_draft",
    "conclusion_save",
    "minutes_start",
    "minutes_submit",
    "minutes_update",
    "minutes_withdraw",
]

NOTIFY_KIND = "meetings.paperless"
MAX_TASKS = 50


# ---- helpers --------------------------------------------------------------------------------------------


def _people_of(meeting: Meeting, user: User | None, field: str) -> User:
    if user is None or not user.is_active or user.agency_id != meeting.agency_id:
        raise ValidationError({field: _("Phải chọn một cán bộ đang làm việc của cơ quan tổ chức cuộc họp.")})
    return user


def _lock_minutes(meeting: Meeting) -> Minutes:
    try:
        return (
            Minutes.objects.select_for_update().select_related("secretary", "presider").get(meeting=meeting)
        )
    except Minutes.DoesNotExist:
        raise ValidationError(_("Cuộc họp chưa có biên bản.")) from None


def _history(meeting: Meeting, by: User, action: str, comment: str, **data) -> None:
    wf.history_add(
        record=meeting, event=HistoryEntry.Event.COMMENT, actor=by, action=action, comment=comment, data=data
    )


def _tell(users, *, by: User, title: str, meeting: Meeting, body: str = "") -> None:
    recipients = [u for u in {u.pk: u for u in users if u is not None}.values() if u.pk != by.pk]
    if recipients:
        notify(
            recipients=recipients,
            kind=NOTIFY_KIND,
            title=title,
            body=body or meeting.title[:200],
            url=meeting.get_absolute_url(),
        )


def _check_signers_have_credentials(minutes: Minutes) -> None:
    from signing import selectors as signing_selectors
    from signing.models import SignatureRequest

    for user, field, label in (
        (minutes.secretary, "secretary", _("Thư ký")),
        (minutes.presider, "presider", _("Chủ tọa")),
    ):
        if signing_selectors.credential_for(user=user, kind=SignatureRequest.Kind.LEADER) is None:
            raise ValidationError(
                {
                    field: _("%(role)s %(name)s chưa có chứng thư số cá nhân để ký biên bản.")
                    % {"role": label, "name": user.get_full_name()}
                }
            )


# ---- minutes ----------------------------------------------------------------------------------------------


def minutes_start(*, meeting: Meeting, by: User, secretary: User, presider: User | None = None) -> Minutes:
    """The draft minutes, made from the meeting's data (the roll call, the agenda, the closed votes)."""
    with transaction.atomic():
        meeting = selectors.meeting_access(user=by, pk=meeting.pk, lock=True)
        if not rules.can_keep_minutes(by, meeting):
            if meeting.state != WorkflowState.APPROVED or not rules.has_started(meeting):
                raise ValidationError(_("Chỉ lập biên bản cho cuộc họp đã duyệt và đã bắt đầu."))
            raise PermissionDenied(_("Bạn không lập biên bản cho cuộc họp này."))
        if Minutes.objects.filter(meeting=meeting).exists():
            raise ValidationError(_("Cuộc họp đã có biên bản."))
        presider = presider or meeting.chair
        if presider is None:
            raise ValidationError(
                {"presider": _("Người chủ trì ở ngoài hệ thống: vui lòng chọn chủ tọa ký biên bản.")}
            )
        secretary = _people_of(meeting, secretary, "secretary")
        presider = _people_of(meeting, presider, "presider")
        if secretary.pk == presider.pk:
            raise ValidationError({"secretary": _("Thư ký và chủ tọa phải là hai người khác nhau.")})
        participants = list(
            meeting.participants.select_related("user", "department", "agency", "substitute").order_by(
                "order", "id"
            )
        )
        votes = list(
            Vote.objects.filter(meeting=meeting, status=Vote.Status.CLOSED)
            .prefetch_related("options", "ballots")
            .order_by("opened_at", "id")
        )
        present_at = [p.attendance_at for p in participants if p.attendance == Participant.Attendance.PRESENT]
        minutes = Minutes.objects.create(
            meeting=meeting,
            secretary=secretary,
            presider=presider,
            started_at=meeting.start_at,
            ended_at=meeting.end_at,
            attendees=render.attendees_text(meeting, participants),
            content=render.content_text(meeting, votes),
            created_by=by,
            data={"roll_call": bool(present_at)},
        )
        _history(meeting, by, "minutes_start", _("Lập biên bản cuộc họp"), secretary=secretary.pk)
    _tell(
        [secretary, presider],
        by=by,
        meeting=meeting,
        title=_("Biên bản cuộc họp: %(title)s") % {"title": meeting.title[:120]},
        body=_("Bạn là thư ký hoặc chủ tọa của biên bản cuộc họp này."),
    )
    return minutes


def minutes_update(
    *,
    minutes: Minutes,
    by: User,
    secretary: User,
    presider: User,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    attendees: str,
    content: str,
    conclusion: str = "",
) -> Minutes:
    """Edit the draft (only while it is a draft)."""
    with transaction.atomic():
        meeting = selectors.meeting_access(user=by, pk=minutes.meeting_id, lock=True)
        minutes = _lock_minutes(meeting)
        if minutes.status != Minutes.Status.DRAFT:
            raise ValidationError(_("Biên bản đã trình ký: rút lại để sửa."))
        if not rules.can_edit_minutes(by, minutes):
            raise PermissionDenied(_("Bạn không sửa biên bản này."))
        errors = {}
        if ended_at <= started_at:
            errors["ended_at"] = _("Thời gian kết thúc phải sau thời gian bắt đầu.")
        if not content.strip():
            errors["content"] = _("Vui lòng nhập nội dung cuộc họp.")
        if errors:
            raise ValidationError(errors)
        minutes.secretary = _people_of(meeting, secretary, "secretary")
        minutes.presider = _people_of(meeting, presider, "presider")
        if minutes.secretary_id == minutes.presider_id:
            raise ValidationError({"secretary": _("Thư ký và chủ tọa phải là hai người khác nhau.")})
        minutes.started_at, minutes.ended_at = started_at, ended_at
        minutes.attendees, minutes.content = attendees.strip(), content.strip()
        minutes.conclusion = conclusion.strip()
        minutes.save()
        _history(meeting, by, "minutes_update", _("Sửa dự thảo biên bản"))
    return minutes


def minutes_submit(*, minutes: Minutes, by: User) -> Minutes:
    """Render the final PDF and ask the secretary's signature (then the presider's, see ``signflow``)."""
    from signing import services as signing
    from signing.appearance import StampBox
    from signing.models import SignatureRequest

    with transaction.atomic():
        meeting = selectors.meeting_access(user=by, pk=minutes.meeting_id, lock=True)
        minutes = _lock_minutes(meeting)
        if minutes.status != Minutes.Status.DRAFT:
            raise ValidationError(_("Biên bản đã được trình ký."))
        if not rules.can_edit_minutes(by, minutes):
            raise PermissionDenied(_("Bạn không trình ký biên bản này."))
        if not minutes.content.strip():
            raise ValidationError(_("Vui lòng nhập nội dung cuộc họp trước khi trình ký."))
        _check_signers_have_credentials(minutes)
        minutes.meeting = meeting
        rendered = render.render(minutes)
        request = signing.signature_request_create(
            pdf=rendered.pdf,
            title=_("Biên bản: %(title)s") % {"title": meeting.title},
            requested_by=by,
            kind=SignatureRequest.Kind.LEADER,
            signer=minutes.secretary,
            box=StampBox.from_dict(rendered.boxes["secretary"]),
            on_signed="meetings.signflow.secretary_signed",
            source_url=meeting.get_absolute_url(),
        )
        minutes.status = Minutes.Status.SECRETARY
        minutes.sign_request = request
        minutes.data = {**minutes.data, "boxes": rendered.boxes, "submitted_by": by.pk}
        minutes.save(update_fields=["status", "sign_request", "data", "updated_at"])
        _history(meeting, by, "minutes_submit", _("Trình ký biên bản"), request=request.pk)
    _tell(
        [minutes.secretary],
        by=by,
        meeting=meeting,
        title=_("Biên bản chờ thư ký ký: %(title)s") % {"title": meeting.title[:120]},
    )
    return minutes


def minutes_withdraw(*, minutes: Minutes, by: User) -> Minutes:
    """Take the minutes back to draft while a signature is awaited (a signature already made is dropped:
    the corrected minutes are signed again by both)."""
    from signing.models import SignatureRequest

    with transaction.atomic():
        # The request first, then the minutes: the order of the signing hooks (the signing module locks
        # the request, then ``signflow`` the minutes), so that a withdrawal and a signature never deadlock.
        current = Minutes.objects.filter(meeting_id=minutes.meeting_id).values_list("sign_request_id")
        list(SignatureRequest.objects.select_for_update().filter(pk__in=current))
        meeting = selectors.meeting_access(user=by, pk=minutes.meeting_id, lock=True)
        minutes = _lock_minutes(meeting)
        if not rules.can_withdraw_minutes(by, minutes):
            if minutes.status in (Minutes.Status.DRAFT, Minutes.Status.SIGNED):
                raise ValidationError(_("Biên bản không ở bước chờ ký."))
            raise PermissionDenied(_("Bạn không rút lại biên bản này."))
        open_statuses = [
            SignatureRequest.Status.PENDING,
            SignatureRequest.Status.FAILED,
        ]
        cancelled = SignatureRequest.objects.filter(
            pk=minutes.sign_request_id, status__in=open_statuses
        ).update(status=SignatureRequest.Status.CANCELLED)
        if not cancelled:
            raise ValidationError(_("Biên bản đang được ký, vui lòng thử lại sau."))
        minutes.status = Minutes.Status.DRAFT
        minutes.sign_request = None
        minutes.save(update_fields=["status", "sign_request", "updated_at"])
        _history(meeting, by, "minutes_withdraw", _("Rút lại biên bản để sửa"))
    return minutes


# ---- conclusions and the notice -------------------------------------------------------------------------


def _clean_tasks(
    meeting: Meeting, tasks: Sequence[tuple[str, User, dt.date]]
) -> list[tuple[str, User, dt.date]]:
    today = timezone.localdate()
    out, errors = [], []
    if len(tasks) > MAX_TASKS:
        raise ValidationError({"tasks": _("Tối đa %(n)s nhiệm vụ.") % {"n": MAX_TASKS}})
    for index, (title, assignee, due_date) in enumerate(tasks, start=1):
        title = (title or "").strip()
        if not title:
            errors.append(_("Nhiệm vụ %(n)s: vui lòng nhập nội dung.") % {"n": index})
        elif len(title) > 300:
            errors.append(_("Nhiệm vụ %(n)s: nội dung tối đa 300 ký tự.") % {"n": index})
        if assignee is None or not assignee.is_active or assignee.agency_id != meeting.agency_id:
            errors.append(_("Nhiệm vụ %(n)s: người thực hiện phải là cán bộ của cơ quan.") % {"n": index})
        if due_date is None or due_date < today:
            errors.append(_("Nhiệm vụ %(n)s: hạn hoàn thành không được trước hôm nay.") % {"n": index})
        out.append((title, assignee, due_date))
    if errors:
        raise ValidationError({"tasks": errors})
    return out


def conclusion_save(
    *, meeting: Meeting, by: User, text: str, tasks: Sequence[tuple[str, User, dt.date]] = ()
) -> Conclusion:
    """Keep the meeting's conclusions and the tasks they give (title, assignee, due date), until a notice
    is under way."""
    with transaction.atomic():
        meeting = selectors.meeting_access(user=by, pk=meeting.pk, lock=True)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if not rules.can_conclude(by, meeting, minutes):
            if meeting.state != WorkflowState.APPROVED or not rules.has_started(meeting):
                raise ValidationError(_("Chỉ ghi kết luận cho cuộc họp đã duyệt và đã bắt đầu."))
            raise PermissionDenied(_("Bạn không ghi kết luận cho cuộc họp này."))
        if not text.strip():
            raise ValidationError({"text": _("Vui lòng nhập nội dung kết luận.")})
        cleaned = _clean_tasks(meeting, tasks)
        conclusion = (
            Conclusion.objects.select_for_update(of=("self",))
            .select_related("notice")
            .filter(meeting=meeting)
            .first()
        )
        if rules.notice_open(conclusion):
            raise ValidationError(_("Đã soạn thông báo kết luận: không sửa kết luận nữa."))
        if conclusion is None:
            conclusion = Conclusion(meeting=meeting, created_by=by)
        conclusion.text = text.strip()
        conclusion.notice = None
        conclusion.save()
        conclusion.tasks.all().delete()
        ConclusionTask.objects.bulk_create(
            ConclusionTask(conclusion=conclusion, title=title, assignee=assignee, due_date=due, order=i)
            for i, (title, assignee, due) in enumerate(cleaned)
        )
        _history(meeting, by, "conclusion_save", _("Ghi kết luận cuộc họp"), tasks=len(cleaned))
    return conclusion


def _in_sentence(title: str) -> str:
    """A meeting's title after "cuộc họp" in a sentence: "Rà soát tiến độ…" → "rà soát tiến độ…",
    "Họp giao ban" → "giao ban" (an acronym or a name in capitals stays as it is)."""
    title = title.strip()
    for word in ("cuộc họp ", "họp "):  # after "cuộc họp": "Họp giao ban" → "giao ban", not "họp họp"
        if title.lower().startswith(word) and len(title) > len(word):
            title = title[len(word) :].strip()
            break
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return first[0].lower() + title[1:]
    return title


def _notice_body(meeting: Meeting, conclusion: Conclusion, tasks: list[ConclusionTask]) -> str:
    esc = html.escape
    chair = render.person_text(meeting.chair) if meeting.chair_id else meeting.chair_text
    opening = _(
        "Vào %(when)s, tại %(place)s, %(chair)s chủ trì cuộc họp %(title)s. "
        "Sau khi nghe báo cáo và ý kiến của các thành phần dự họp, chủ trì cuộc họp kết luận như sau:"
    ) % {
        "when": render.when_text(meeting.start_at),
        "place": meeting.place_label,
        "chair": chair,
        "title": _in_sentence(meeting.title),
    }
    parts = [f"<p>{esc(opening)}</p>"]
    parts += [f"<p>{esc(line.strip())}</p>" for line in conclusion.text.splitlines() if line.strip()]
    if tasks:
        parts.append(f"<p><strong>{esc(_('Phân công thực hiện:'))}</strong></p>")
        items = []
        for task in tasks:
            who = task.assignee.get_full_name()
            if task.assignee.department_id:
                who = f"{who} ({task.assignee.department.name})"
            items.append(
                "<li>"
                + esc(
                    _("%(title)s. Thực hiện: %(who)s; hạn hoàn thành: %(due)s.")
                    % {
                        "title": task.title.rstrip(". "),
                        "who": who,
                        "due": task.due_date.strftime("%d/%m/%Y"),
                    }
                )
                + "</li>"
            )
        parts.append("<ol>" + "".join(items) + "</ol>")
    parts.append(
        "<p>"
        + esc(
            _("%(agency)s thông báo để các cơ quan, đơn vị và cá nhân liên quan biết, thực hiện.")
            % {"agency": meeting.agency.name}
        )
        + "</p>"
    )
    return "".join(parts)


def conclusion_notice_draft(*, meeting: Meeting, by: User):
    """The Thông báo kết luận as an outgoing draft (type TB) of ``by``, from the conclusions and tasks; it
    then goes through the outgoing flow (submit, approve, sign, issue) on the outgoing pages."""
    from documents.models import DocumentType
    from documents.outgoing import services as outgoing
    from documents.outgoing.services import DraftFields

    with transaction.atomic():
        meeting = selectors.meeting_access(user=by, pk=meeting.pk, lock=True)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if not rules.can_conclude(by, meeting, minutes):
            raise PermissionDenied(_("Bạn không soạn thông báo kết luận cho cuộc họp này."))
        conclusion = (
            Conclusion.objects.select_for_update(of=("self",))
            .select_related("notice")
            .filter(meeting=meeting)
            .first()
        )
        if conclusion is None:
            raise ValidationError(_("Vui lòng ghi kết luận cuộc họp trước."))
        if rules.notice_open(conclusion):
            raise ValidationError(_("Thông báo kết luận đã được soạn."))
        doc_type = DocumentType.objects.filter(abbreviation="TB").order_by("pk").first()
        if doc_type is None:
            raise ValidationError(_("Chưa có loại văn bản Thông báo (TB) trong danh mục."))
        tasks = list(conclusion.tasks.select_related("assignee__department"))
        chair = meeting.chair
        signer = (
            chair
            if chair is not None and chair.agency_id == by.agency_id and chair.has_role(Role.LEADER)
            else None
        )
        others = [p.agency for p in meeting.participants.select_related("agency") if p.agency_id]
        outsiders = [f"{p.name} <{p.email}>" for p in meeting.participants.filter(name__gt="") if p.email]
        chair_title = (chair.position if chair is not None and chair.position else "") or _("lãnh đạo")
        summary = _("Kết luận của %(who)s tại cuộc họp %(title)s") % {
            "who": f"{chair_title} {meeting.chair_name}".strip(),
            "title": _in_sentence(meeting.title),
        }
        document = outgoing.draft_create(
            by=by,
            fields=DraftFields(
                doc_type=doc_type,
                summary=summary[:1000],
                body=_notice_body(meeting, conclusion, tasks),
                distribution=_("Các thành phần dự họp"),
                signer=signer,
                recipient_agencies=[a for a in others if a.is_active and a.pk != by.agency_id],
                external_recipients="\n".join(outsiders),
            ),
        )
        conclusion.notice = document
        conclusion.save(update_fields=["notice"])
        MeetingDocument.objects.get_or_create(meeting=meeting, outgoing=document, defaults={"added_by": by})
        _history(meeting, by, "conclusion_notice", _("Soạn thông báo kết luận"), document=document.pk)
    return document


def _end_of_day(day: dt.date) -> dt.datetime:
    """The close of office on ``day`` (or, when that has passed, today's; else the end of today)."""
    close = calendar.office_hours()[-1][1]
    at = dt.datetime.combine(day, close, tzinfo=calendar.local_tz())
    now = timezone.now()
    if at <= now:
        today = timezone.localdate()
        at = dt.datetime.combine(today, close, tzinfo=calendar.local_tz())
        if at <= now:
            at = dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=calendar.local_tz())
    return at


def conclusion_issued(*, document, by) -> None:
    """``document`` was issued: when it is a meeting's Thông báo kết luận, its tasks become work items
    (given by the notice's signer, else the chair), each linked back to the meeting. Called for every
    issued outgoing document, inside the issuing transaction: one indexed query for the others."""
    from workflow.rules import can_give_work

    conclusion = (
        Conclusion.objects.select_for_update(of=("self",))
        .select_related("meeting__chair", "meeting__agency")
        .filter(notice_id=document.pk)
        .first()
    )
    if conclusion is None or conclusion.tasks_created_at is not None:
        return
    meeting = conclusion.meeting
    with transaction.atomic():
        giver = next(
            (
                u
                for u in (document.signer, meeting.chair)
                if u is not None and u.agency_id == meeting.agency_id and can_give_work(u)
            ),
            None,
        )
        tasks = list(conclusion.tasks.select_related("assignee").filter(work_item__isnull=True))
        if giver is None and tasks:
            _history(
                meeting,
                by,
                "conclusion_tasks",
                _("Không có lãnh đạo giao việc: các nhiệm vụ của thông báo kết luận chưa được giao."),
            )
            return
        label = document.number_symbol or document.summary[:80]
        given, skipped = 0, []
        for task in tasks:
            if not task.assignee.is_active or task.assignee.agency_id != meeting.agency_id:
                # Someone who left the agency since: the issue goes on; the history says who was skipped.
                skipped.append(task.assignee.get_full_name())
                continue
            item = wf.work_item_create(
                by=giver,
                title=task.title,
                description=_("Theo Thông báo kết luận số %(ns)s về cuộc họp: %(title)s")
                % {"ns": label, "title": meeting.title},
                due_at=_end_of_day(task.due_date),
                lead=task.assignee,
                related=meeting,
            )
            task.work_item = item
            task.save(update_fields=["work_item"])
            given += 1
        conclusion.tasks_created_at = timezone.now()
        conclusion.save(update_fields=["tasks_created_at"])
        comment = _("Giao %(n)s nhiệm vụ theo thông báo kết luận %(ns)s") % {"n": given, "ns": label}
        if skipped:
            comment += "; " + _("không giao được cho: %(names)s (không còn công tác tại cơ quan)") % {
                "names": ", ".join(skipped)
            }
        _history(
            meeting,
            by,
            "conclusion_tasks",
            comment,
            document=document.pk,
        )

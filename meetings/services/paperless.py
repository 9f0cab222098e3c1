"""The paperless meeting (họp không giấy): the meeting's files (checked by content, SHA-256 kept, each with
its viewers), comments on them (append-only), the roll call (a person checks in; the organiser marks present,
absent or excused), substitutes (cử người dự thay: asked by the participant, decided by the organiser), and
votes (biểu quyết: created, opened while the meeting runs, one ballot per attendee, closed).

Each service: keyword-only, one transaction, the meeting loaded through ``selectors.meeting_access`` (locked
for the writes that change the meeting's dossier; a ballot locks its vote instead, so that a meeting's
ballots do not queue behind each other's meeting lock), the actor's right checked here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.files import check_attachment, removed_on_error
from eoffice.models import User
from eoffice.services import notify
from meetings import paperless as rules_
from meetings import people, selectors
from meetings.models import Ballot, FileComment, Meeting, MeetingFile, Participant, Vote, VoteOption
from workflow import services as wf
from workflow.models import HistoryEntry

__all__ = [
    "ballot_cast",
    "file_comment_add",
    "file_upload",
    "roll_call_check_in",
    "roll_call_mark",
    "substitute_decide",
    "substitute_request",
    "vote_close",
    "vote_create",
    "vote_open",
]

NOTIFY_KIND = "meetings.paperless"
MAX_OPTIONS = 20


def _url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk]) + "#paperless"


def _locked(meeting: Meeting | int, by: User) -> Meeting:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return selectors.meeting_access(user=by, pk=pk, lock=True)


def _require_open(meeting: Meeting) -> None:
    if meeting.state not in rules_.OPEN_MEETING_STATES:
        raise ValidationError(_("Cuộc họp đã bị hủy hoặc bị từ chối."), code="closed")
    if meeting.has_ended:
        raise ValidationError(_("Cuộc họp đã kết thúc."), code="ended")


def _require_involved(meeting: Meeting, by: User) -> None:
    if not rules_.is_involved(by, meeting):
        raise PermissionDenied(_("Bạn không tham gia cuộc họp này."))


def _history(meeting: Meeting, by: User, comment: str, *, action: str = "", data: dict | None = None) -> None:
    """One timeline row (the comment says what happened); its title by what it is about: a file, the roll
    call, a substitute, a vote (labels in ``meetings.registry``). Not an "updated" row: the schedule did not
    change."""
    data = data or {}
    if not action:
        if "vote" in data:
            action = "meeting_vote"
        elif "file" in data:
            action = "meeting_file"
        elif "substitute" in data or "approved" in data:
            action = "meeting_substitute"
        else:
            action = "meeting_roll_call"
    wf.history_add(
        record=meeting, event=HistoryEntry.Event.COMMENT, actor=by, action=action, comment=comment, data=data
    )


# ---- files and comments ----------------------------------------------------------------------------------


def file_upload(
    *,
    meeting: Meeting | int,
    by: User,
    upload,
    name: str = "",
    restricted: bool = False,
    viewers: Iterable[User] = (),
) -> MeetingFile:
    """Add a document to the meeting's dossier: PDF, image, .docx or .xlsx, checked by content, at most
    the installation's upload size; its SHA-256 kept. ``restricted``: only ``viewers`` (and the organiser,
    chair and schedule managers) open it."""
    digest = check_attachment(upload)
    viewers = list(viewers)
    if restricted and not viewers:
        raise ValidationError(_("Chọn ít nhất một người được xem tài liệu hạn chế."), code="no_viewers")
    with removed_on_error() as stored, transaction.atomic():
        locked = _locked(meeting, by)
        _require_open(locked)
        if not rules_.can_upload(by, locked, rules_.participants_of(locked)):
            raise PermissionDenied(
                _("Chỉ người đăng ký, người chủ trì hoặc đơn vị chuẩn bị chính được tải tài liệu lên.")
            )
        if restricted:
            allowed = {u.pk for u in people.attendee_users(locked)} | {locked.organiser_id}
            outside = [u for u in viewers if u.pk not in allowed]
            if outside:
                raise ValidationError(
                    _("Người được xem phải là thành phần tham dự cuộc họp: %(names)s.")
                    % {"names": ", ".join(u.get_full_name() for u in outside)},
                    code="viewer_outside",
                )
        title = (name or upload.name).strip()[:255]
        last = MeetingFile.objects.filter(meeting=locked).order_by("-order").values_list("order", flat=True)
        row = MeetingFile(
            meeting=locked,
            name=title,
            sha256=digest,
            size=upload.size,
            content_type=getattr(upload, "content_type", "")[:100],
            restricted=restricted,
            uploaded_by=by,
            order=min((last.first() or 0) + 1, 32767),
        )
        row.file.save(upload.name[-120:], upload, save=False)
        stored.append(row.file.name)
        row.save()
        if restricted:
            row.viewers.set(viewers)
        _history(locked, by, _("Tải lên tài liệu: %(name)s") % {"name": title}, data={"file": row.pk})
    return row


def file_comment_add(*, meeting: Meeting | int, file_id: int, by: User, text: str) -> FileComment:
    """A participant's comment on a file they may open (append-only: no edit, no delete)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Vui lòng nhập ý kiến."), code="required")
    with transaction.atomic():
        found = selectors.meeting_access(user=by, pk=meeting if isinstance(meeting, int) else meeting.pk)
        _require_open(found)
        _require_involved(found, by)
        file = rules_.files_visible(by, found).filter(pk=file_id).first()
        if file is None:
            raise ValidationError(_("Không tìm thấy tài liệu."), code="missing")
        return FileComment.objects.create(file=file, author=by, text=text[:5000])


# ---- roll call and substitutes ---------------------------------------------------------------------------


def roll_call_check_in(*, meeting: Meeting | int, by: User) -> list[Participant]:
    """Điểm danh: the person marks their own line (or the line they substitute on, or their unit's line)
    present, inside the roll-call window."""
    with transaction.atomic():
        locked = _locked(meeting, by)
        if not rules_.roll_call_open(locked):
            start, end = rules_.roll_call_window(locked)
            raise ValidationError(
                _("Chỉ điểm danh được từ %(start)s đến %(end)s.")
                % {
                    "start": timezone.localtime(start).strftime("%H:%M %d/%m/%Y"),
                    "end": timezone.localtime(end).strftime("%H:%M %d/%m/%Y"),
                },
                code="window",
            )
        rows = rules_.own_rows(by, rules_.participants_of(locked))
        if not rows:
            raise PermissionDenied(_("Bạn không có trong thành phần cuộc họp để điểm danh."))
        now = timezone.now()
        for row in rows:
            row.attendance = Participant.Attendance.PRESENT
            row.attendance_at = now
            row.absence_reason = ""
            row.data = {**row.data, "checked_in_by": by.pk}
            row.save(update_fields=["attendance", "attendance_at", "absence_reason", "data"])
    return rows


def roll_call_mark(
    *, meeting: Meeting | int, participant_id: int, by: User, attendance: str, reason: str = ""
) -> Participant:
    """The organiser (or a schedule manager) marks a line present, absent or excused (with a reason)."""
    if attendance not in (
        Participant.Attendance.PRESENT,
        Participant.Attendance.ABSENT,
        Participant.Attendance.EXCUSED,
    ):
        raise ValidationError(_("Trạng thái điểm danh không hợp lệ."), code="invalid")
    reason = (reason or "").strip()
    if attendance == Participant.Attendance.EXCUSED and not reason:
        raise ValidationError(_("Vui lòng nêu lý do vắng."), code="reason")
    with transaction.atomic():
        locked = _locked(meeting, by)
        if not rules_.can_manage(by, locked):
            raise PermissionDenied(_("Chỉ người đăng ký lịch hoặc người quản lý lịch được điểm danh hộ."))
        if not rules_.marking_open(locked):
            raise ValidationError(
                _("Chỉ điểm danh được từ lúc mở điểm danh đến khi cuộc họp kết thúc."), code="window"
            )
        row = Participant.objects.filter(meeting=locked, pk=participant_id).first()
        if row is None:
            raise ValidationError(_("Không tìm thấy thành phần tham dự."), code="missing")
        row.attendance = attendance
        row.attendance_at = timezone.now()
        row.absence_reason = "" if attendance == Participant.Attendance.PRESENT else reason[:300]
        row.data = {**row.data, "marked_by": by.pk}
        row.save(update_fields=["attendance", "attendance_at", "absence_reason", "data"])
        _history(
            locked,
            by,
            _("Điểm danh: %(who)s — %(what)s%(reason)s")
            % {
                "who": row.label,
                "what": row.get_attendance_display(),
                "reason": f" ({row.absence_reason})" if row.absence_reason else "",
            },
            data={"participant": row.pk, "attendance": attendance},
        )
    return row


def substitute_request(*, meeting: Meeting | int, by: User, substitute: User) -> Participant:
    """Cử người dự thay: a listed person asks, before the meeting starts, that a person of their agency
    attend in their place; the organiser is told and decides."""
    with transaction.atomic():
        locked = _locked(meeting, by)
        _require_open(locked)
        if timezone.now() >= locked.start_at:
            raise ValidationError(_("Chỉ cử người dự thay trước giờ họp."), code="started")
        row = Participant.objects.select_for_update().filter(meeting=locked, user=by).first()
        if row is None:
            raise PermissionDenied(_("Chỉ người có tên trong thành phần tham dự được cử người dự thay."))
        if substitute is None or substitute.pk == by.pk:
            raise ValidationError(_("Vui lòng chọn một người khác dự thay."), code="self")
        if not substitute.is_active or substitute.agency_id != by.agency_id:
            raise ValidationError(_("Người dự thay phải là cán bộ của cơ quan bạn."), code="agency")
        if (
            substitute.pk in (locked.chair_id, locked.organiser_id)
            or Participant.objects.filter(meeting=locked, user=substitute).exists()
        ):
            raise ValidationError(_("Người này đã có trong thành phần cuộc họp."), code="listed")
        row.substitute = substitute
        row.substitute_status = Participant.Substitute.REQUESTED
        row.data = {**row.data, "substitute_requested_at": timezone.now().isoformat()}
        row.save(update_fields=["substitute", "substitute_status", "data"])
        _history(
            locked,
            by,
            _("Đề nghị cử %(sub)s dự thay %(who)s")
            % {"sub": substitute.get_full_name(), "who": by.get_full_name()},
            data={"participant": row.pk, "substitute": substitute.pk},
        )
        notify(
            recipients=[locked.organiser],
            kind=NOTIFY_KIND,
            title=_("Đề nghị cử người dự thay: %(title)s") % {"title": locked.title},
            body=_("%(who)s đề nghị %(sub)s dự họp thay.")
            % {"who": by.get_full_name(), "sub": substitute.get_full_name()},
            url=_url(locked),
        )
    return row


def substitute_decide(
    *, meeting: Meeting | int, participant_id: int, by: User, approve: bool, comment: str = ""
) -> Participant:
    """The organiser (or a schedule manager) approves or refuses a requested substitute; the person who
    asked and the substitute are told. Once approved, the substitute attends, checks in and votes."""
    with transaction.atomic():
        locked = _locked(meeting, by)
        _require_open(locked)
        if not rules_.can_manage(by, locked):
            raise PermissionDenied(_("Chỉ người đăng ký lịch hoặc người quản lý lịch duyệt người dự thay."))
        row = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("user", "substitute")
            .filter(meeting=locked, pk=participant_id)
            .first()
        )
        if row is None or row.substitute_status != Participant.Substitute.REQUESTED:
            raise ValidationError(
                _("Đề nghị dự thay này đã được xử lý hoặc không còn. Vui lòng tải lại trang."), code="changed"
            )
        row.substitute_status = Participant.Substitute.APPROVED if approve else Participant.Substitute.REFUSED
        row.data = {**row.data, "substitute_decided_by": by.pk, "substitute_comment": (comment or "")[:300]}
        row.save(update_fields=["substitute_status", "data"])
        verdict = _("đồng ý") if approve else _("không đồng ý")
        _history(
            locked,
            by,
            _("%(verdict)s %(sub)s dự thay %(who)s")
            % {"verdict": verdict.capitalize(), "sub": row.substitute.get_full_name(), "who": row.label}
            + (f": {comment}" if comment else ""),
            data={"participant": row.pk, "approved": approve},
        )
        notify(
            recipients=[row.user, row.substitute],
            kind=NOTIFY_KIND,
            title=(
                _("Đã duyệt người dự thay: %(title)s")
                if approve
                else _("Không duyệt người dự thay: %(title)s")
            )
            % {"title": locked.title},
            body=_("%(sub)s dự họp thay %(who)s: %(verdict)s.")
            % {"sub": row.substitute.get_full_name(), "who": row.label, "verdict": verdict}
            + (f" {comment}" if comment else ""),
            url=_url(locked),
        )
    return row


# ---- votes -----------------------------------------------------------------------------------------------


def _clean_options(options: Sequence[str]) -> list[str]:
    seen: list[str] = []
    for option in options:
        label = " ".join((option or "").split())[:200]
        if label and label.casefold() not in {s.casefold() for s in seen}:
            seen.append(label)
    if len(seen) < 2:
        raise ValidationError(_("Biểu quyết cần ít nhất hai phương án khác nhau."), code="options")
    if len(seen) > MAX_OPTIONS:
        raise ValidationError(_("Biểu quyết có tối đa %(n)s phương án.") % {"n": MAX_OPTIONS}, code="options")
    return seen


def _vote_locked(meeting: Meeting, vote_id: int) -> Vote:
    vote = Vote.objects.select_for_update().filter(meeting=meeting, pk=vote_id).first()
    if vote is None:
        raise ValidationError(_("Không tìm thấy nội dung biểu quyết."), code="missing")
    return vote


def vote_create(
    *, meeting: Meeting | int, by: User, question: str, options: Sequence[str], anonymous: bool = False
) -> Vote:
    """The organiser or the chair sets a question with at least two options (not yet open)."""
    question = " ".join((question or "").split())[:500]
    if not question:
        raise ValidationError(_("Vui lòng nhập nội dung biểu quyết."), code="required")
    labels = _clean_options(options)
    with transaction.atomic():
        locked = _locked(meeting, by)
        _require_open(locked)
        if not rules_.can_preside(by, locked):
            raise PermissionDenied(_("Chỉ người chủ trì hoặc người đăng ký lịch tạo biểu quyết."))
        vote = Vote.objects.create(meeting=locked, question=question, anonymous=anonymous, created_by=by)
        VoteOption.objects.bulk_create(
            [VoteOption(vote=vote, label=label, order=n) for n, label in enumerate(labels, start=1)]
        )
        _history(locked, by, _("Tạo biểu quyết: %(q)s") % {"q": question}, data={"vote": vote.pk})
    return vote


def vote_open(*, meeting: Meeting | int, vote_id: int, by: User) -> Vote:
    """Open a vote while the meeting runs; the attendees are told."""
    with transaction.atomic():
        locked = _locked(meeting, by)
        if not rules_.can_preside(by, locked):
            raise PermissionDenied(_("Chỉ người chủ trì hoặc người đăng ký lịch mở biểu quyết."))
        vote = _vote_locked(locked, vote_id)
        if vote.status != Vote.Status.DRAFT:
            raise ValidationError(_("Biểu quyết này đã được mở hoặc đã kết thúc."), code="changed")
        if not rules_.voting_time(locked):
            raise ValidationError(_("Chỉ mở biểu quyết trong thời gian diễn ra cuộc họp."), code="window")
        vote.status = Vote.Status.OPEN
        vote.opened_at = timezone.now()
        vote.save(update_fields=["status", "opened_at"])
        _history(locked, by, _("Mở biểu quyết: %(q)s") % {"q": vote.question}, data={"vote": vote.pk})
        notify(
            recipients=[u for u in people.attendee_users(locked) if u.pk != by.pk],
            kind=NOTIFY_KIND,
            title=_("Mời biểu quyết: %(q)s") % {"q": vote.question[:150]},
            body=locked.title,
            url=_url(locked),
        )
    return vote


def vote_close(*, meeting: Meeting | int, vote_id: int, by: User) -> Vote:
    """Close an open vote: no more ballots; the results are shown and kept."""
    with transaction.atomic():
        locked = _locked(meeting, by)
        if not rules_.can_preside(by, locked):
            raise PermissionDenied(_("Chỉ người chủ trì hoặc người đăng ký lịch kết thúc biểu quyết."))
        vote = _vote_locked(locked, vote_id)
        if vote.status != Vote.Status.OPEN:
            raise ValidationError(_("Biểu quyết này chưa mở hoặc đã kết thúc."), code="changed")
        vote.status = Vote.Status.CLOSED
        vote.closed_at = timezone.now()
        vote.save(update_fields=["status", "closed_at"])
        cast = Ballot.objects.filter(vote=vote).count()
        _history(
            locked,
            by,
            _("Kết thúc biểu quyết: %(q)s (%(n)s phiếu)") % {"q": vote.question, "n": cast},
            data={"vote": vote.pk, "ballots": cast},
        )
    return vote


def ballot_cast(*, meeting: Meeting | int, vote_id: int, option_id: int, by: User) -> Ballot:
    """One answer per attendee while the vote is open. The vote row is locked, and the unique constraint
    stands behind it: of two answers at once, the second is refused."""
    already = ValidationError(
        _("Bạn đã biểu quyết nội dung này; mỗi người chỉ biểu quyết một lần."), code="twice"
    )
    with transaction.atomic():
        found = selectors.meeting_access(user=by, pk=meeting if isinstance(meeting, int) else meeting.pk)
        if not any(u.pk == by.pk for u in people.attendee_users(found)):
            raise PermissionDenied(_("Chỉ thành phần tham dự cuộc họp được biểu quyết."))
        vote = _vote_locked(found, vote_id)
        if vote.status != Vote.Status.OPEN or found.state != "approved":
            raise ValidationError(_("Biểu quyết chưa mở hoặc đã kết thúc."), code="closed")
        option = VoteOption.objects.filter(vote=vote, pk=option_id).first()
        if option is None:
            raise ValidationError(_("Vui lòng chọn một phương án."), code="option")
        if Ballot.objects.filter(vote=vote, voter=by).exists():
            raise already
        try:
            with transaction.atomic():
                return Ballot.objects.create(vote=vote, option=option, voter=by)
        except IntegrityError as exc:
            raise already from exc

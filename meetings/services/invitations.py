"""Invitations: calendar e-mails (iCalendar REQUEST / CANCEL), feeds, the Giấy mời (outgoing flow).

- ``meeting_invitations_queue`` (called by booking and changes on approve, change, cancel): after commit, a
  Celery task e-mails each attendee and each outsider with an e-mail address the meeting's ``.ics``
  (``invitations_send``), and leaves each attendee an in-app notification.
- ``calendar_feed_create`` / ``calendar_feed_revoke``: a person's or a unit's read-only feed URL.
- ``invitation_draft``: the Giấy mời (type GM) drafted from the meeting as an outgoing document; it is
  reviewed, signed, numbered, issued and delivered on the outgoing pages like any other document.
- ``invitation_issued``: called for every issued outgoing document; tells a meeting's attendees that its
  Giấy mời was issued.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from eoffice.menu import forget_badges
from eoffice.models import Department, Notification, User
from eoffice.notifications import send_email
from eoffice.services import notify
from meetings import feeds, ical, people, rules, selectors
from meetings.models import CalendarFeed, Meeting
from meetings.render import invitation as invitation_text
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

__all__ = [
    "calendar_feed_create",
    "calendar_feed_revoke",
    "invitation_draft",
    "invitation_issued",
    "meeting_invitations_queue",
]

KIND = "meetings.invitation"
# The occasions told in-app here too; a change made with a reason, a removal and a postponement are told
# in-app by ``services.changes`` (with what changed).
IN_APP = ("invited", "changed", "cancelled", "displaced")


# ---- calendar e-mails ----------------------------------------------------------------------------------


def meeting_invitations_queue(*, meeting, method: str = "REQUEST", user_ids=None, reason: str = "") -> None:
    """Queue, after commit, the iCalendar e-mail of ``meeting`` (``method`` REQUEST or CANCEL) to its
    attendees (``user_ids``: only these people, e.g. those affected by a change or removed) and outsiders.

    With ``user_ids`` the outsiders are left out (they are affected by changes of time and place, which are
    sent to everyone). A person in ``user_ids`` who is no longer an attendee (removed) is still reached:
    with CANCEL they are told the meeting is cancelled for them. The people also get an in-app notification
    when invited, cancelled or sent back to approval (``IN_APP``). Joins the caller's transaction."""
    if method not in (ical.REQUEST, ical.CANCEL):
        raise ValueError(method)
    ids = None if user_ids is None else sorted({int(pk) for pk in user_ids})
    if ids is not None and not ids:
        return
    if method == ical.CANCEL and meeting.invited_at is None:
        return  # nobody was invited: there is nothing to take out of their calendars
    if method == ical.REQUEST and meeting.invited_at is None:
        now = timezone.now()
        Meeting.objects.filter(pk=meeting.pk, invited_at__isnull=True).update(invited_at=now)
        meeting.invited_at = now
    from eoffice.outbox import enqueue
    from meetings.tasks import send_invitations

    enqueue(send_invitations, args=(meeting.pk, method, ids, reason))


def _occasion(meeting: Meeting, method: str, *, removed: bool) -> str:
    """Why this e-mail goes: invited, changed, cancelled, cancelled for the person, postponed, or sent
    back to approval (its room taken by the agency head's meeting)."""
    if method == ical.CANCEL:
        if removed:
            return "removed"
        if meeting.state == WorkflowState.APPROVED and meeting.postponed_at:
            return "postponed"
        if meeting.state == WorkflowState.SUBMITTED:
            return "displaced"
        return "cancelled"
    return "changed" if meeting.sequence else "invited"


SUBJECTS = {
    "invited": _lazy("Mời họp: %(title)s"),
    "changed": _lazy("Thay đổi lịch họp: %(title)s"),
    "cancelled": _lazy("Hủy lịch họp: %(title)s"),
    "removed": _lazy("Bạn không còn trong thành phần cuộc họp: %(title)s"),
    "postponed": _lazy("Hoãn cuộc họp: %(title)s"),
    "displaced": _lazy("Lịch họp tạm hủy, chờ duyệt lại: %(title)s"),
}
LEADS = {
    "invited": "",
    "changed": _lazy("Cuộc họp dưới đây đã thay đổi."),
    "cancelled": _lazy("Cuộc họp dưới đây đã bị hủy."),
    "removed": _lazy("Bạn không còn trong thành phần tham dự cuộc họp dưới đây."),
    "postponed": _lazy("Cuộc họp dưới đây được hoãn; thời gian mới sẽ được thông báo sau."),
    "displaced": _lazy(
        "Cuộc họp dưới đây được trả về chờ duyệt do phòng họp được ưu tiên cho cuộc họp khác; "
        "lịch sẽ được gửi lại khi được duyệt."
    ),
}


def _body(meeting: Meeting, occasion: str, *, reason: str, link: bool = True) -> str:
    lines = [str(LEADS[occasion])] if LEADS[occasion] else []
    if reason:
        lines.append(_("Lý do: %(reason)s") % {"reason": reason})
    if lines:
        lines.append("")
    lines += [
        _("Nội dung: %(title)s") % {"title": meeting.title},
        _("Thời gian: %(when)s") % {"when": invitation_text.when_text(meeting)},
        _("Địa điểm: %(place)s") % {"place": meeting.place_label or "—"},
        _("Chủ trì: %(chair)s") % {"chair": meeting.chair_name},
    ]
    url = ical.meeting_url(meeting) if link else ""
    if url:
        lines += ["", _("Chi tiết: %(url)s") % {"url": url}]
    lines += [
        "",
        _("Tệp lịch (.ics) kèm theo thư này thêm hoặc cập nhật cuộc họp trong ứng dụng lịch của bạn."),
        _("Thư này được gửi tự động, vui lòng không trả lời."),
    ]
    return "\n".join(lines) + "\n"


def _in_app(users: list[User], *, title: str, body: str, url: str) -> None:
    """In-app notifications only: the e-mail that goes with them is the calendar e-mail itself."""
    rows = [
        Notification(recipient=u, kind=KIND, title=title[:255], body=body, url=url)
        for u in users
        if u.is_active
    ]
    Notification.objects.bulk_create(rows)
    forget_badges({u.pk for u in users})


def invitations_send(*, meeting_id: int, method: str, user_ids=None, reason: str = "") -> int:
    """Send the calendar e-mails of one meeting (run by ``meetings.tasks.send_invitations``); returns the
    number of e-mails that left. A failed e-mail is kept and retried by ``send_email``."""
    meeting = (
        Meeting.objects.select_related("agency", "room", "chair", "organiser").filter(pk=meeting_id).first()
    )
    if meeting is None:
        return 0
    participants = list(meeting.participants.select_related("user", "substitute"))
    attendees = people.attendee_users(meeting, participants=participants)
    outsiders = [
        (p.name, p.email)
        for p in participants
        if p.email and not (p.user_id or p.department_id or p.agency_id)
    ]
    # The event lists every attendee, whoever this e-mail goes to.
    everyone = [(u.get_full_name(), u.email) for u in attendees] + outsiders
    removed: list[User] = []
    if user_ids is not None:
        wanted = set(user_ids)
        attendees = [u for u in attendees if u.pk in wanted]
        missing = wanted - {u.pk for u in attendees}
        if method == ical.CANCEL and missing:  # people taken off the meeting: cancelled for them
            removed = list(User.objects.filter(pk__in=missing, is_active=True))
        outsiders = []
    with translation.override(settings.LANGUAGE_CODE):
        sent = 0
        groups = [(attendees, everyone, False)]
        if removed:
            groups.append((removed, [(u.get_full_name(), u.email) for u in removed], True))
        url = ical.meeting_path(meeting)
        for users, listed, is_removed in groups:
            group_method = ical.CANCEL if is_removed else method
            occasion = _occasion(meeting, group_method, removed=is_removed)
            data = ical.meeting_calendar(meeting, method=group_method, attendees=listed)
            subject = str(SUBJECTS[occasion]) % {"title": meeting.title}
            # People of the installation get the meeting page's link; outsiders (no account) do not.
            bodies = {
                True: _body(meeting, occasion, reason=reason),
                False: _body(meeting, occasion, reason=reason, link=False),
            }
            addresses = {u.email: True for u in users if u.email}
            if not is_removed:
                for _name, email in outsiders:
                    addresses.setdefault(email, False)
            for address, inside in addresses.items():
                message = EmailMessage(subject=subject, body=bodies[inside], to=[address])
                message.attach(
                    "huy-lich-hop.ics" if group_method == ical.CANCEL else "lich-hop.ics",
                    data,
                    f"{ical.MIME_TYPE}; method={group_method}",
                )
                sent += send_email(message, source=KIND)
            if users and occasion in IN_APP and not (occasion == "changed" and reason):
                _in_app(users, title=subject, body=reason or invitation_text.when_text(meeting), url=url)
    return sent


# ---- feeds ------------------------------------------------------------------------------------------------


def calendar_feed_create(*, by: User, department: Department | None = None) -> tuple[CalendarFeed, str]:
    """A new feed URL for ``by`` (or, with ``department``, for the unit, by its head or a schedule manager).
    The owner's earlier feed stops working (a new URL replaces it). Returns the feed and its token, which is
    shown once: only its SHA-256 is kept."""
    if not getattr(by, "is_authenticated", False) or not by.is_active or not by.agency_id:
        raise PermissionDenied
    if department is not None and not feeds.can_manage_unit_feed(by, department):
        raise PermissionDenied(
            _("Chỉ lãnh đạo đơn vị hoặc người quản lý lịch tạo được lịch đồng bộ của đơn vị.")
        )
    token = feeds.new_token()
    now = timezone.now()
    with transaction.atomic():
        owner = {"department": department} if department is not None else {"user": by}
        CalendarFeed.objects.select_for_update().filter(revoked_at__isnull=True, **owner).update(
            revoked_at=now
        )
        feed = CalendarFeed.objects.create(token_sha256=feeds.token_hash(token), created_by=by, **owner)
    return feed, token


def calendar_feed_revoke(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """End a feed at once: its URL answers 404 from now on."""
    with transaction.atomic():
        locked = (
            CalendarFeed.objects.select_for_update(of=("self",)).select_related("department").get(pk=feed.pk)
        )
        if locked.user_id:
            allowed = locked.user_id == by.pk or by.is_superuser
        else:
            allowed = feeds.can_manage_unit_feed(by, locked.department)
        if not allowed:
            raise PermissionDenied
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked


# ---- the Giấy mời -----------------------------------------------------------------------------------------


# A Giấy mời in these states no longer stands: another one may be drafted.
VOID_STATES = (WorkflowState.CANCELLED, WorkflowState.RECALLED)


def has_invitation(meeting: Meeting) -> bool:
    """The meeting has a Giấy mời in progress or issued (not cancelled, not recalled)."""
    return bool(meeting.invitation_id) and meeting.invitation.state not in VOID_STATES


def can_draft_invitation(user: User, meeting: Meeting) -> bool:
    """The organiser or a schedule manager, for an approved meeting that has not ended and has no Giấy mời
    (or only a cancelled or recalled one)."""
    return (
        meeting.state == WorkflowState.APPROVED
        and user.agency_id == meeting.agency_id
        and rules.can_change(user, meeting)
        and not has_invitation(meeting)
    )


def _signer(meeting: Meeting) -> User | None:
    """The chair when a leader of the agency, else the agency's head."""
    from eoffice.models import Role

    chair = meeting.chair
    if (
        chair is not None
        and chair.is_active
        and chair.agency_id == meeting.agency_id
        and chair.has_role(Role.LEADER)
    ):
        return chair
    head = rules.agency_head(meeting.agency_id)
    return head if head is not None and head.is_active else None


def invitation_draft(*, meeting: Meeting, by: User):
    """Draft the Giấy mời (Mẫu 1.7, type GM) of ``meeting`` as an outgoing document of ``by``'s: summary
    and body from the meeting, the invited agencies as internal recipients, outsiders with an e-mail as
    e-mail recipients. It then goes through the outgoing pages (review, signature, number, issue)."""
    from documents.models import Confidentiality, DocumentType
    from documents.outgoing import services as outgoing
    from documents.outgoing.services import DraftFields

    doc_type = DocumentType.objects.filter(abbreviation="GM", is_active=True).first()
    if doc_type is None:
        raise ValidationError(_("Chưa có loại văn bản Giấy mời (GM) trong danh mục loại văn bản."))
    with transaction.atomic():
        locked = selectors.meeting_access(user=by, pk=meeting.pk, lock=True)
        if has_invitation(locked):
            raise ValidationError(_("Cuộc họp này đã có giấy mời."))
        if not can_draft_invitation(by, locked):
            raise PermissionDenied(
                _("Chỉ người đăng ký hoặc người quản lý lịch tạo giấy mời cho lịch đã duyệt.")
            )
        participants = list(
            locked.participants.select_related("user", "department", "agency").order_by("order", "pk")
        )
        text = invitation_text.build(locked, participants)
        agencies = [
            p.agency
            for p in participants
            if p.agency_id and p.agency.is_active and p.agency_id != by.agency_id
        ]
        externals = [
            f"{p.name} <{p.email}>"
            for p in participants
            if p.email and not (p.user_id or p.department_id or p.agency_id)
        ]
        fields = DraftFields(
            doc_type=doc_type,
            summary=text.summary,
            body=text.body,
            distribution="\n".join(text.distribution),
            signer=_signer(locked),
            confidentiality=Confidentiality.SECRET if locked.secret else Confidentiality.NORMAL,
            recipient_agencies=agencies,
            external_recipients="\n".join(externals),
        )
        previous = locked.invitation_id
        document = outgoing.draft_create(by=by, fields=fields)
        locked.invitation = document
        locked.save(update_fields=["invitation"])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="invitation_draft",
            comment=_("Tạo dự thảo giấy mời"),
            data={"invitation": document.pk, "replaces": previous},
        )
    return document


def invitation_issued(*, document, by) -> None:
    """``document`` was issued: when it is a meeting's Giấy mời, tell its attendees inside the agency and
    write it in the meeting's history. Called for every issued outgoing document, inside the issuing
    transaction: one indexed query when it is not a Giấy mời."""
    meeting = Meeting.objects.select_related("chair", "room").filter(invitation_id=document.pk).first()
    if meeting is None:
        return
    participants = list(meeting.participants.select_related("user", "substitute"))
    users = [
        u
        for u in people.attendee_users(meeting, participants=participants)
        if u.agency_id == meeting.agency_id
    ]
    label = document.number_symbol or ""
    notify(
        recipients=users,
        kind=KIND,
        title=_("Giấy mời số %(number)s: %(title)s") % {"number": label, "title": meeting.title},
        body=_("Thời gian: %(when)s · Địa điểm: %(place)s")
        % {"when": invitation_text.when_text(meeting), "place": meeting.place_label or "—"},
        url=meeting.get_absolute_url(),
    )
    wf.history_add(
        record=meeting,
        event=HistoryEntry.Event.COMMENT,
        actor=by,
        action="invitation_issued",
        comment=_("Đã phát hành giấy mời số %(number)s") % {"number": label},
        data={"invitation": document.pk},
    )

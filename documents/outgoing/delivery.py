"""Delivery of an issued outgoing document (văn bản đi) and the statuses the sender sees per recipient.

- Internal recipients (agencies of this installation): an incoming document is created at once in the
  recipient's "chờ vào sổ" queue, with a copy of the sealed PDF and its verified signatures; the
  recipient's clerks are notified. What the recipient then does with it (register, refuse, direct,
  process, finish, reopen, confirm a recall) comes back as QCVN 102 status codes (``sync_from_incoming``,
  called by the incoming services in the same transaction).
- E-mail recipients: the PDF is e-mailed by a Celery task (queue "notifications") after commit.
- Paper recipients: pending until the clerk marks them sent (``recipient_mark_sent``).

A recall (``recall_propagate``) takes the recipients' incoming documents out of every active list,
cancels their open assignments and tells the people concerned; e-mail recipients get a recall notice.
A reply (``close_reply``) closes the incoming document it answers.

Every function joins the caller's transaction (or opens one) and writes a ``DeliveryEvent`` per change.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.files import pdf_pages, removed_on_error, sha256_bytes
from documents.models import (
    Channel,
    IncomingDocument,
    IncomingDocumentUserObjectPermission,
    Register,
    SignatureStatus,
    Urgency,
    incoming_content_type,
)
from documents.outgoing.models import (
    DeliveryEvent,
    DeliveryStatus,
    OutgoingDocument,
    OutgoingRecipient,
    is_clerk,
)
from documents.registers import numbering
from eoffice.models import Role, User
from eoffice.notifications import subject_line
from eoffice.services import notify
from workflow import services as wf
from workflow.models import Assignment, HistoryEntry, WorkflowState

logger = logging.getLogger(__name__)

EMAIL_QUEUE = "notifications"

# How far along a recipient is: a status never moves back to a lower rank (except a reopen, 06 → 05).
RANK = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.FAILED: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.ARRIVED: 3,
    DeliveryStatus.REGISTERED: 4,
    DeliveryStatus.ASSIGNED: 5,
    DeliveryStatus.PROCESSING: 6,
    DeliveryStatus.DONE: 7,
    DeliveryStatus.REFUSED: 8,
    DeliveryStatus.RECALL_REQUESTED: 9,
    DeliveryStatus.RECALL_REFUSED: 10,
    DeliveryStatus.RECALL_ACCEPTED: 10,
}
INCOMING_STATUSES = frozenset(
    {
        DeliveryStatus.REFUSED,
        DeliveryStatus.REGISTERED,
        DeliveryStatus.ASSIGNED,
        DeliveryStatus.PROCESSING,
        DeliveryStatus.DONE,
        DeliveryStatus.RECALL_ACCEPTED,
        DeliveryStatus.RECALL_REFUSED,
    }
)


def may_move(current: str, new: str) -> bool:
    """A status only moves forward; the one way back is a reopened document (done → processing)."""
    if current == new:
        return False
    if current == DeliveryStatus.DONE and new == DeliveryStatus.PROCESSING:
        return True
    return RANK.get(new, 0) > RANK.get(current, 0)


# --- small helpers ------------------------------------------------------------------------------------------


def _event(recipient: OutgoingRecipient, status: str, *, actor: User | None, note: str = "", at=None):
    return DeliveryEvent(
        recipient=recipient,
        status=status,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        note=note[:500],
    )


def _set_status(
    recipients: Sequence[OutgoingRecipient],
    status: str,
    *,
    actor: User | None,
    note: str = "",
    error: str | None = None,
    extra_fields: Iterable[str] = (),
) -> None:
    """Move ``recipients`` to ``status`` and write one event each (two queries whatever their number)."""
    if not recipients:
        return
    now = timezone.now()
    fields = ["status", "status_at", *extra_fields]
    for r in recipients:
        r.status = status
        r.status_at = now
        if error is not None:
            r.error = error[:2000]
    if error is not None:
        fields.append("error")
    OutgoingRecipient.objects.bulk_update(list(recipients), fields)
    DeliveryEvent.objects.bulk_create([_event(r, status, actor=actor, note=note, at=now) for r in recipients])


def _outgoing_url(document: OutgoingDocument) -> str:
    try:
        return document.get_absolute_url()
    except NoReverseMatch:  # the outgoing pages are not installed
        return ""


def _label(*, urgency: int, number_symbol: str, summary: str) -> str:
    prefix = f"[{Urgency(urgency).label}] " if urgency > Urgency.NORMAL else ""
    return f"{prefix}{number_symbol} — {summary[:120]}"


def _users_by_agency(agency_ids: Iterable[int], role: str) -> dict[int, list[User]]:
    """Active people holding ``role`` in each agency, in one query."""
    ids = {a for a in agency_ids if a}
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    for user in User.objects.filter(
        agency_id__in=ids, is_active=True, groups__agency_role__role=role
    ).distinct():
        found[user.agency_id].append(user)
    return found


def _heads_by_department(department_ids: Iterable[int]) -> dict[int, list[User]]:
    ids = {d for d in department_ids if d}
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    for user in User.objects.filter(
        department_id__in=ids, is_active=True, groups__agency_role__role=Role.DEPARTMENT_HEAD
    ).distinct():
        found[user.department_id].append(user)
    return found


def _default_registers(agencies) -> dict[int, Register]:
    """Each recipient agency's default incoming register: one query, created where missing."""
    registers = {
        r.agency_id: r
        for r in Register.objects.filter(
            agency_id__in=[a.pk for a in agencies], kind=Register.Kind.INCOMING, is_default=True
        )
    }
    for agency in agencies:
        if agency.pk not in registers:
            registers[agency.pk] = numbering.default_register(agency=agency)
    return registers


def _file_name(number_symbol: str) -> str:
    name = re.sub(r"[\\/:*?\"<>|\s]+", "-", number_symbol.strip()).strip("-") or "van-ban"
    return f"{name[:200]}.pdf"


def _queue_emails(task_name: str, recipient_ids: Sequence[int]) -> None:
    """After commit, one task per recipient on the notifications queue."""
    ids = list(recipient_ids)
    if not ids:
        return

    def run() -> None:
        from documents import tasks

        task = getattr(tasks, task_name)
        for pk in ids:
            task.apply_async(args=(pk,), queue=EMAIL_QUEUE)

    transaction.on_commit(run)


# --- delivery -----------------------------------------------------------------------------------------------


def deliver(*, document: OutgoingDocument, pdf: bytes, by: User) -> None:
    """Deliver an issued document to its pending recipients (inside the issuance transaction).

    Internal recipients get an incoming document at once (status 01, their clerks notified); e-mails are
    queued after commit; paper recipients wait for the clerk. A few queries per internal recipient.
    """
    from documents.incoming import services as incoming_services

    if document.state != WorkflowState.ISSUED:
        raise ValidationError(_("Chỉ gửi được văn bản đã phát hành."))
    with transaction.atomic():
        recipients = list(
            document.recipients.select_for_update(of=("self",))
            .filter(status=DeliveryStatus.PENDING)
            .select_related("agency")
            .order_by("id")
        )
        internal = [r for r in recipients if r.channel == OutgoingRecipient.Channel.INTERNAL]
        emails = [r for r in recipients if r.channel == OutgoingRecipient.Channel.EMAIL]
        if internal:
            _deliver_internal(document=document, recipients=internal, pdf=pdf, by=by, svc=incoming_services)
        _queue_emails("send_outgoing_email", [r.pk for r in emails])


def _deliver_internal(*, document, recipients, pdf: bytes, by: User, svc) -> None:
    refused = []
    deliverable = []
    for r in recipients:
        if r.incoming_id:
            continue  # delivered already
        if r.agency_id is None or r.agency_id == document.agency_id:
            refused.append(
                (r, _("Không gửi liên thông cho chính cơ quan ban hành hoặc nơi nhận không xác định."))
            )
        elif not r.agency.is_active:
            refused.append((r, _("Cơ quan nhận không còn hoạt động.")))
        else:
            deliverable.append(r)
    for r, error in refused:
        _set_status([r], DeliveryStatus.FAILED, actor=by, note=error, error=error)
    if not deliverable:
        return

    sender = document.agency
    now = timezone.now()
    issued_on = timezone.localtime(document.issued_at).date() if document.issued_at else timezone.localdate()
    status, report = svc.verify_signatures(pdf)
    digest = sha256_bytes(pdf)
    version = document.current_version if document.current_version_id else None
    pages = version.pages if version is not None and version.pages else pdf_pages(pdf)
    signer_name = document.signer.full_name if document.signer_id else ""
    due_at = svc.default_due_at(urgency=document.urgency, received_at=now)
    due_soon_at = svc._marks(due_at, now)
    registers = _default_registers([r.agency for r in deliverable])
    clerks = _users_by_agency([r.agency_id for r in deliverable], Role.CLERK)
    file_name = _file_name(document.number_symbol)
    arrived_note = _("Nhận liên thông điện tử từ %(sender)s.") % {"sender": sender.name}

    created: list[tuple[OutgoingRecipient, IncomingDocument]] = []
    with removed_on_error() as stored:
        for r in deliverable:
            incoming = IncomingDocument(
                agency_id=r.agency_id,
                register=registers[r.agency_id],
                issuer_agency=sender,
                issuer_name=sender.name,
                number_symbol=document.number_symbol,
                issued_date=issued_on,
                doc_type_id=document.doc_type_id,
                summary=document.summary,
                signer_name=signer_name,
                urgency=document.urgency,
                confidentiality=document.confidentiality,
                page_count=pages,
                received_at=now,
                channel=Channel.ELECTRONIC,
                due_at=due_at,
                due_soon_at=due_soon_at,
                file_name=file_name,
                file_sha256=digest,
                file_size=len(pdf),
                signature_status=status,
                signature_report=report,
                received_by=None,
            )
            incoming.file.save(file_name, ContentFile(pdf), save=False)
            stored.append(incoming.file.name)
            incoming.save()
            wf.history_add(
                record=incoming,
                event=HistoryEntry.Event.CREATED,
                actor=None,
                to_state=incoming.state,
                comment=arrived_note,
                data={"signature": status, "channel": Channel.ELECTRONIC, "sender": sender.name},
            )
            r.incoming = incoming
            created.append((r, incoming))

        secret = [(r, inc) for r, inc in created if inc.is_secret]
        if secret:
            perm = svc._view_permission()
            IncomingDocumentUserObjectPermission.objects.bulk_create(
                [
                    IncomingDocumentUserObjectPermission(user=u, permission=perm, content_object=inc)
                    for r, inc in secret
                    for u in clerks.get(r.agency_id, [])
                ],
                ignore_conflicts=True,
            )
        _set_status(
            [r for r, _inc in created],
            DeliveryStatus.ARRIVED,
            actor=by,
            note=_("Đã chuyển đến văn thư nơi nhận."),
            extra_fields=["incoming"],
        )
        for r, incoming in created:
            notify(
                recipients=clerks.get(r.agency_id, []),
                kind="documents.incoming_arrived",
                title=_("Văn bản đến liên thông chờ vào sổ: %(label)s")
                % {
                    "label": _label(
                        urgency=incoming.urgency,
                        number_symbol=incoming.number_symbol,
                        summary=incoming.summary,
                    )
                },
                body=_("Từ %(sender)s · %(signature)s")
                % {"sender": sender.name, "signature": SignatureStatus(status).label},
                url=incoming.get_absolute_url(),
            )


def recipient_mark_sent(*, recipient: OutgoingRecipient, by: User, note: str = "") -> OutgoingRecipient:
    """The clerk records that the paper copy went out (post, hand delivery)."""
    with transaction.atomic():
        locked = (
            OutgoingRecipient.objects.select_for_update(of=("self",))
            .select_related("document")
            .get(pk=recipient.pk)
        )
        document = locked.document
        if not is_clerk(document, by):
            raise PermissionDenied(_("Chỉ văn thư của cơ quan ban hành được cập nhật việc gửi văn bản."))
        if locked.channel != OutgoingRecipient.Channel.PAPER:
            raise ValidationError(_("Chỉ đánh dấu đã gửi cho nơi nhận bản giấy."))
        if document.state != WorkflowState.ISSUED:
            raise ValidationError(_("Văn bản chưa phát hành hoặc đã bị thu hồi."))
        if locked.status != DeliveryStatus.PENDING:
            raise wf.RecordChanged(_("Nơi nhận này đã được đánh dấu đã gửi."))
        _set_status([locked], DeliveryStatus.SENT, actor=by, note=note.strip() or _("Đã gửi bản giấy."))
    return locked


def email_resend(*, recipient: OutgoingRecipient, by: User) -> OutgoingRecipient:
    """Queue the e-mail again for a recipient whose sending failed."""
    with transaction.atomic():
        locked = (
            OutgoingRecipient.objects.select_for_update(of=("self",))
            .select_related("document")
            .get(pk=recipient.pk)
        )
        if not is_clerk(locked.document, by):
            raise PermissionDenied(_("Chỉ văn thư của cơ quan ban hành được gửi lại văn bản."))
        if locked.channel != OutgoingRecipient.Channel.EMAIL or locked.status != DeliveryStatus.FAILED:
            raise ValidationError(_("Chỉ gửi lại thư điện tử bị lỗi."))
        if locked.document.state != WorkflowState.ISSUED:
            raise ValidationError(_("Văn bản chưa phát hành hoặc đã bị thu hồi."))
        _set_status([locked], DeliveryStatus.PENDING, actor=by, note=_("Gửi lại thư điện tử."), error="")
        _queue_emails("send_outgoing_email", [locked.pk])
    return locked


# --- e-mail (run by documents.tasks) ------------------------------------------------------------------------


def _email_body(document: OutgoingDocument, recipient: OutgoingRecipient, lines: Sequence[str]) -> str:
    greeting = _("Kính gửi: %(name)s,") % {"name": recipient.name} if recipient.name else ""
    footer = _(
        "Thư được gửi tự động từ hệ thống quản lý văn bản %(site)s; vui lòng không trả lời thư này."
    ) % {"site": settings.EOFFICE_SITE_NAME}
    return "\n\n".join(p for p in [greeting, *lines, footer] if p)


def _subject(*parts: str) -> str:
    return subject_line(*parts)


def _verification_lines(document: OutgoingDocument) -> list[str]:
    if not document.public_code:
        return []
    from signing.services import verification_url

    return [
        _("Tra cứu, xác thực văn bản điện tử (mã %(code)s): %(url)s")
        % {"code": document.public_code, "url": verification_url(document.public_code)}
    ]


def _lock_recipient(recipient_id: int) -> OutgoingRecipient | None:
    return (
        OutgoingRecipient.objects.select_for_update(of=("self",))
        .select_related("document__agency", "document__current_version")
        .filter(pk=recipient_id)
        .first()
    )


def _send(message: EmailMessage) -> str:
    """'' when sent, else the error text (never raises: the status records the failure)."""
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # SMTP, DNS, socket, bad address …
        logger.warning("outgoing e-mail failed: %s", exc)
        return str(exc) or exc.__class__.__name__
    return ""


def email_deliver(*, recipient_id: int) -> str:
    """Send the issued PDF to an e-mail recipient; the recipient becomes SENT or FAILED (with the error)."""
    with transaction.atomic():
        recipient = _lock_recipient(recipient_id)
        if (
            recipient is None
            or recipient.channel != OutgoingRecipient.Channel.EMAIL
            or recipient.status != DeliveryStatus.PENDING
        ):
            return recipient.status if recipient else ""
        document = recipient.document
        if document.state != WorkflowState.ISSUED:
            error = _("Không gửi: văn bản đã bị thu hồi trước khi gửi.")
            _set_status([recipient], DeliveryStatus.FAILED, actor=None, note=error, error=error)
            return recipient.status
        version = document.current_version
        if version is None or not version.file:
            error = _("Không tìm thấy tệp văn bản đã phát hành.")
            _set_status([recipient], DeliveryStatus.FAILED, actor=None, note=error, error=error)
            return recipient.status
        with version.file.open("rb") as fh:
            pdf = fh.read()
        issued = timezone.localtime(document.issued_at).strftime("%d/%m/%Y") if document.issued_at else ""
        lines = [
            _("%(agency)s gửi văn bản số %(symbol)s ngày %(date)s về việc: %(summary)s.")
            % {
                "agency": document.agency.name,
                "symbol": document.number_symbol,
                "date": issued,
                "summary": document.summary.strip(),
            },
            _("Văn bản điện tử đã được ký số, gửi kèm theo thư này (tệp PDF)."),
            *_verification_lines(document),
        ]
        message = EmailMessage(
            subject=_subject(document.number_symbol, document.summary),
            body=_email_body(document, recipient, lines),
            to=[recipient.email],
            reply_to=[document.agency.email] if document.agency.email else None,
        )
        message.attach(_file_name(document.number_symbol), pdf, "application/pdf")
        error = _send(message)
        if error:
            _set_status(
                [recipient], DeliveryStatus.FAILED, actor=None, note=_("Gửi thư điện tử lỗi."), error=error
            )
        else:
            _set_status(
                [recipient],
                DeliveryStatus.SENT,
                actor=None,
                note=_("Đã gửi thư điện tử đến %(email)s.") % {"email": recipient.email},
                error="",
            )
        return recipient.status


def email_recall_deliver(*, recipient_id: int) -> str:
    """Tell an e-mail recipient that the document sent to them is recalled (status 13 when sent)."""
    with transaction.atomic():
        recipient = _lock_recipient(recipient_id)
        if recipient is None or recipient.channel != OutgoingRecipient.Channel.EMAIL:
            return ""
        document = recipient.document
        if document.state != WorkflowState.RECALLED or recipient.status != DeliveryStatus.SENT:
            return recipient.status
        recalled = (
            timezone.localtime(document.recalled_at).strftime("%d/%m/%Y") if document.recalled_at else ""
        )
        lines = [
            _(
                "%(agency)s thông báo thu hồi văn bản số %(symbol)s về việc: %(summary)s "
                "(đã gửi đến quý cơ quan)."
            )
            % {
                "agency": document.agency.name,
                "symbol": document.number_symbol,
                "summary": document.summary.strip(),
            },
            _("Ngày thu hồi: %(date)s. Lý do: %(reason)s")
            % {"date": recalled, "reason": document.recall_reason},
            _("Đề nghị quý cơ quan không sử dụng và hủy bỏ văn bản này."),
            *_verification_lines(document),
        ]
        message = EmailMessage(
            subject=_subject(
                _("Thu hồi văn bản %(symbol)s") % {"symbol": document.number_symbol}, document.summary
            ),
            body=_email_body(document, recipient, lines),
            to=[recipient.email],
            reply_to=[document.agency.email] if document.agency.email else None,
        )
        error = _send(message)
        if error:
            recipient.error = error[:2000]
            recipient.save(update_fields=["error"])
            DeliveryEvent.objects.create(
                recipient=recipient,
                status=DeliveryStatus.FAILED,
                note=(_("Gửi thư báo thu hồi lỗi: %(error)s") % {"error": error})[:500],
            )
        else:
            _set_status(
                [recipient],
                DeliveryStatus.RECALL_REQUESTED,
                actor=None,
                note=_("Đã gửi thư báo thu hồi đến %(email)s.") % {"email": recipient.email},
                error="",
            )
        return recipient.status


# --- statuses from the recipient ----------------------------------------------------------------------------


def sync_from_incoming(*, incoming: IncomingDocument, status: str, by: User | None, note: str = "") -> None:
    """What the recipient did with a delivered document, as the sender sees it (QCVN 102 codes).

    Call it inside the transaction of the incoming change. One query for a document that did not come
    from an outgoing document of this installation; never moves a status back (except a reopen).
    """
    if status not in INCOMING_STATUSES:
        raise ValueError(f"not a recipient status: {status}")
    if incoming.channel != Channel.ELECTRONIC:
        return
    with transaction.atomic(savepoint=False):
        recipient = (
            OutgoingRecipient.objects.select_for_update(of=("self",))
            .filter(incoming_id=incoming.pk)
            .select_related("document")
            .first()
        )
        if recipient is None or not may_move(recipient.status, status):
            return
        _set_status([recipient], status, actor=by, note=note)
        if status == DeliveryStatus.REFUSED:
            document = recipient.document
            notify(
                recipients=[document.drafted_by] if document.drafted_by_id else [],
                kind="documents.returned",
                title=_("Văn bản %(symbol)s bị %(agency)s trả lại")
                % {"symbol": document.number_symbol, "agency": recipient.name},
                body=note,
                url=_outgoing_url(document),
            )


# --- recall -------------------------------------------------------------------------------------------------


def recall_propagate(*, document: OutgoingDocument, reason: str, by: User) -> None:
    """The sender recalled ``document`` (inside the recall transaction): each recipient's incoming document
    leaves every active list (kept, viewable, with a banner), its open assignments are cancelled, the people
    concerned are told; status 13 for each. E-mail recipients get a recall notice after commit."""
    if document.state != WorkflowState.RECALLED:
        raise ValidationError(_("Văn bản chưa ở trạng thái thu hồi."))
    now = timezone.now()
    with transaction.atomic():
        recipients = list(
            document.recipients.select_for_update(of=("self",)).filter(
                channel__in=[OutgoingRecipient.Channel.INTERNAL, OutgoingRecipient.Channel.EMAIL]
            )
        )
        internal = [
            r
            for r in recipients
            if r.channel == OutgoingRecipient.Channel.INTERNAL
            and r.incoming_id
            and r.status != DeliveryStatus.REFUSED
        ]
        incomings = {
            d.pk: d
            for d in IncomingDocument.objects.select_for_update(of=("self",)).filter(
                pk__in=[r.incoming_id for r in internal], recalled_at__isnull=True
            )
        }
        internal = [r for r in internal if r.incoming_id in incomings]
        if internal:
            _recall_incoming(
                document=document, recipients=internal, incomings=incomings, reason=reason, by=by, now=now
            )
        _queue_emails(
            "send_recall_email",
            [
                r.pk
                for r in recipients
                if r.channel == OutgoingRecipient.Channel.EMAIL and r.status == DeliveryStatus.SENT
            ],
        )


def _recall_incoming(*, document, recipients, incomings, reason: str, by: User, now) -> None:
    sender = document.agency
    ids = list(incomings)
    IncomingDocument.objects.filter(pk__in=ids).update(recalled_at=now, updated_at=now)
    ct = incoming_content_type()
    open_parts = list(
        Assignment.objects.filter(content_type=ct, object_id__in=ids, status=Assignment.Status.OPEN)
    )
    Assignment.objects.filter(pk__in=[a.pk for a in open_parts]).update(
        status=Assignment.Status.CANCELLED, completed_at=now
    )
    heads = _heads_by_department(a.department_id for a in open_parts if not a.assignee_id)
    holders: dict[int, set[int]] = defaultdict(set)
    for a in open_parts:
        if a.assignee_id:
            holders[a.object_id].add(a.assignee_id)
        else:
            holders[a.object_id].update(u.pk for u in heads.get(a.department_id, []))
    clerks = _users_by_agency({d.agency_id for d in incomings.values()}, Role.CLERK)
    others = {d.directed_by_id for d in incomings.values() if d.directed_by_id}
    others |= {pk for pks in holders.values() for pk in pks}
    people = User.objects.in_bulk(others) if others else {}
    day = timezone.localtime(now).strftime("%d/%m/%Y")
    comment = _("Văn bản đã bị nơi gửi (%(sender)s) thu hồi ngày %(date)s. Lý do: %(reason)s") % {
        "sender": sender.name,
        "date": day,
        "reason": reason,
    }
    for incoming in incomings.values():
        incoming.recalled_at = now
        wf.history_add(
            record=incoming,
            event=HistoryEntry.Event.COMMENT,
            actor=None,
            action="recall",
            comment=comment,
            data={
                "kind": "recalled",
                "sender": sender.name,
                "reason": reason,
                "cancelled_assignments": [a.pk for a in open_parts if a.object_id == incoming.pk],
            },
        )
        wanted = [*clerks.get(incoming.agency_id, [])]
        wanted += [people[pk] for pk in holders.get(incoming.pk, ()) if pk in people]
        if incoming.directed_by_id in people:
            wanted.append(people[incoming.directed_by_id])
        notify(
            recipients=wanted,
            kind="documents.incoming_recalled",
            title=_("Văn bản đến bị nơi gửi thu hồi: %(label)s")
            % {
                "label": _label(
                    urgency=incoming.urgency, number_symbol=incoming.number_symbol, summary=incoming.summary
                )
            },
            body=_("Lý do: %(reason)s") % {"reason": reason},
            url=incoming.get_absolute_url(),
        )
    _set_status(recipients, DeliveryStatus.RECALL_REQUESTED, actor=by, note=reason)


# --- reply --------------------------------------------------------------------------------------------------


def close_reply(*, document: OutgoingDocument, by: User) -> None:
    """The issued ``document`` answers ``document.reply_to``: record its number there and, if that incoming
    document is still open, finish its processing (a system transition in the issuing clerk's name)."""
    from documents.incoming import services as incoming_services

    if not document.reply_to_id:
        return
    incoming_services.incoming_close_by_reply(
        document=document.reply_to, by=by, reply_number_symbol=document.number_symbol
    )

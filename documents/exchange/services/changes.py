"""What a received package does to this installation's incoming documents.

- A new document (type 0) becomes an incoming document in "chờ vào sổ" with its metadata prefilled, the PDF's
  signatures checked as for any electronic arrival (the package's own signature is kept on the inbox row),
  a likely duplicate linked; the clerks are told, and 01 goes back to the sender.
- A recall (type 1, or a status 13) is applied at once as an internal recall is: the document leaves every
  active list, its open assignments are cancelled, the people concerned are told. The clerk then confirms
  it (15) or refuses it (16, the document back in the lists) — ``change_answer``.
- An update (2) or a replacement (3) is put to the clerk: accepted (15), an update rewrites the registered
  document's metadata and file, a replacement recalls it and brings the new one into "chờ vào sổ"; refused
  (16), nothing changes.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

import documents.exchange.services.common as common
from documents.common import Channel, SignatureStatus, Urgency
from documents.exchange.edxml import parse
from documents.exchange.edxml.types import BusinessDocType, EdxmlError, Package, ParsedPackage, StatusCode
from documents.exchange.models import InboxMessage, MessageKind, OutboxMessage
from documents.files import removed_on_error, sha256_bytes
from documents.incoming import rules as incoming_rules
from documents.incoming.models import IncomingDocument, incoming_content_type
from documents.outgoing.delivery.common import attachment_name, default_registers, label, users_by_agency
from documents.outgoing.models import DeliveryStatus
from documents.registers.models import DocumentType
from eoffice.models import Agency, Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import Assignment, HistoryEntry

CHANGE_LABELS = {
    BusinessDocType.RECALL: _("thu hồi"),
    BusinessDocType.UPDATE: _("cập nhật"),
    BusinessDocType.REPLACE: _("thay thế"),
}


def _main_pdf(package: Package):
    found = next((a for a in package.attachments if a.content_type == "application/pdf"), None)
    if found is None:
        raise EdxmlError("no_pdf", _("Gói tin không có tệp văn bản PDF."))
    return found


def _doc_type(name: str) -> DocumentType:
    found = DocumentType.objects.filter(name__iexact=(name or "").strip()).first()
    return found or DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": ""})[0]


def _due_at(package: Package, urgency: int, now) -> dt.datetime:
    if package.due_date is not None and package.due_date >= timezone.localdate(now):
        return timezone.make_aware(dt.datetime.combine(package.due_date, dt.time(17, 0)))
    return incoming_rules.default_due_at(urgency=urgency, received_at=now)


def _fields(package: Package, pdf) -> dict:
    from documents.incoming import services as incoming_services

    status, report = incoming_services.verify_signatures(pdf.data)
    urgency = min(max(int(package.priority or 0), Urgency.NORMAL), Urgency.FLASH)
    return {
        "issuer_name": (package.sender.organ_name or package.sender.organ_id)[:255],
        "number_symbol": package.code.text[:100],
        "issued_date": package.promulgation_date,
        "doc_type": _doc_type(package.type_name),
        "summary": package.subject,
        "signer_name": package.signer.full_name[:150],
        "urgency": urgency,
        "page_count": package.page_amount or 1,
        "file_name": (pdf.name or attachment_name(package.code.text))[-255:],
        "file_sha256": sha256_bytes(pdf.data),
        "file_size": len(pdf.data),
        "signature_status": status,
        "signature_report": report,
    }


def incoming_from_package(
    *, message: InboxMessage, parsed: ParsedPackage, agency: Agency
) -> IncomingDocument:
    """The package as an incoming document in "chờ vào sổ" (in the import's transaction); 01 queued."""
    from documents.exchange.services.outbox import status_enqueue
    from documents.incoming.selectors import duplicates_of

    package = parsed.package
    pdf = _main_pdf(package)
    now = timezone.now()
    values = _fields(package, pdf)
    due_at = _due_at(package, values["urgency"], now)
    duplicate = duplicates_of(
        agency_id=agency.pk,
        number_symbol=values["number_symbol"],
        issuer_name=values["issuer_name"],
        issuer_agency_id=None,
        sha256=values["file_sha256"],
    ).first()
    with removed_on_error() as stored:
        incoming = IncomingDocument(
            agency=agency,
            register=default_registers([agency])[agency.pk],
            received_at=now,
            channel=Channel.ELECTRONIC,
            due_at=due_at,
            due_soon_at=incoming_rules.due_soon_mark(due_at, now),
            duplicate_of=duplicate,
            received_by=None,
            **values,
        )
        incoming.file.save(values["file_name"], ContentFile(pdf.data), save=False)
        stored.append(incoming.file.name)
        incoming.save()
        others = [a.name for a in package.attachments if a is not pdf]
        note = _("Nhận liên thông từ %(sender)s (%(code)s).") % {
            "sender": values["issuer_name"],
            "code": package.sender.organ_id,
        }
        if others:
            note += " " + _("Gói tin có thêm tệp: %(names)s.") % {"names": ", ".join(others)}
        wf.history_add(
            record=incoming,
            event=HistoryEntry.Event.CREATED,
            actor=None,
            to_state=incoming.state,
            comment=note,
            data={
                "signature": values["signature_status"],
                "channel": Channel.ELECTRONIC,
                "sender": values["issuer_name"],
                "inbox": message.pk,
                "duplicate_of": duplicate.pk if duplicate else None,
            },
        )
        message.incoming = incoming
        message.save()
        notify(
            recipients=users_by_agency([agency.pk], Role.CLERK).get(agency.pk, []),
            kind="documents.incoming_arrived",
            title=_("Văn bản đến liên thông chờ vào sổ: %(label)s")
            % {
                "label": label(
                    urgency=incoming.urgency, number_symbol=incoming.number_symbol, summary=incoming.summary
                )
            },
            body=_("Từ %(sender)s · %(signature)s")
            % {
                "sender": values["issuer_name"],
                "signature": SignatureStatus(values["signature_status"]).label,
            },
            url=incoming.get_absolute_url(),
        )
        status_enqueue(incoming=incoming, code=StatusCode.ARRIVED, by=None)
    return incoming


# --- recall, update, replace -----------------------------------------------------------------------------


def _original(*, agency_id: int | None, sender_code: str, document_id: str) -> InboxMessage | None:
    rows = InboxMessage.objects.filter(
        kind=MessageKind.PACKAGE,
        state=InboxMessage.State.IMPORTED,
        business_type=BusinessDocType.NEW,
        document_id=document_id,
        incoming__isnull=False,
    ).order_by("-pk")
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    return next((r for r in rows if common.same_code(r.sender_code, sender_code)), None)


def _unknown(kind: str, document_id: str) -> EdxmlError:
    return EdxmlError(
        "unknown_document",
        _("Không tìm thấy văn bản đã nhận mà nơi gửi đề nghị %(kind)s (%(id)s).")
        % {"kind": kind, "id": document_id},
    )


def _clerks(incoming: IncomingDocument) -> list[User]:
    return users_by_agency([incoming.agency_id], Role.CLERK).get(incoming.agency_id, [])


def recall(*, incoming: IncomingDocument, sender: str, reason: str, now) -> None:
    """Take a received document out of every active list as an internal recall does."""
    if incoming.recalled_at is not None:
        return
    IncomingDocument.objects.filter(pk=incoming.pk).update(recalled_at=now, updated_at=now)
    incoming.recalled_at = now
    parts = list(
        Assignment.objects.filter(
            content_type=incoming_content_type(), object_id=incoming.pk, status=Assignment.Status.OPEN
        )
    )
    Assignment.objects.filter(pk__in=[a.pk for a in parts]).update(
        status=Assignment.Status.CANCELLED, completed_at=now
    )
    wf.history_add(
        record=incoming,
        event=HistoryEntry.Event.COMMENT,
        actor=None,
        action="recall",
        comment=_("Văn bản đã bị nơi gửi (%(sender)s) thu hồi ngày %(date)s. Lý do: %(reason)s")
        % {"sender": sender, "date": timezone.localtime(now).strftime("%d/%m/%Y"), "reason": reason},
        data={
            "kind": "recalled",
            "sender": sender,
            "reason": reason,
            "cancelled_assignments": [a.pk for a in parts],
        },
    )
    holders = User.objects.filter(pk__in=[a.assignee_id for a in parts if a.assignee_id])
    notify(
        recipients=[*_clerks(incoming), *holders],
        kind="documents.incoming_recalled",
        title=_("Văn bản đến bị nơi gửi thu hồi: %(label)s")
        % {
            "label": label(
                urgency=incoming.urgency, number_symbol=incoming.number_symbol, summary=incoming.summary
            )
        },
        body=_("Lý do: %(reason)s") % {"reason": reason},
        url=incoming.get_absolute_url(),
    )


def apply_change(*, message: InboxMessage, parsed: ParsedPackage) -> None:
    """A recall is applied at once; an update or replacement is put to the clerk (in the import's
    transaction)."""
    package = parsed.package
    kind = BusinessDocType(package.business.doc_type)
    document_id = package.business.document_id or package.document_id
    original = _original(
        agency_id=message.agency_id, sender_code=message.sender_code, document_id=document_id
    )
    if original is None:
        raise _unknown(CHANGE_LABELS[kind], document_id)
    message.duplicate_of = original
    incoming = IncomingDocument.objects.select_for_update(of=("self",)).get(pk=original.incoming_id)
    reason = package.business.reason or _("(không nêu lý do)")
    sender = message.sender_name or message.sender_code
    if kind == BusinessDocType.RECALL:
        recall(incoming=incoming, sender=sender, reason=reason, now=timezone.now())
        return
    wf.history_add(
        record=incoming,
        event=HistoryEntry.Event.COMMENT,
        actor=None,
        action="exchange_change",
        comment=_("Nơi gửi (%(sender)s) đề nghị %(kind)s văn bản. Lý do: %(reason)s. Chờ văn thư trả lời.")
        % {"sender": sender, "kind": CHANGE_LABELS[kind], "reason": reason},
        data={"kind": "change_requested", "business_type": int(kind), "inbox": message.pk},
    )
    notify(
        recipients=_clerks(incoming),
        kind="documents.incoming_change",
        title=_("Nơi gửi đề nghị %(kind)s văn bản đến: %(label)s")
        % {
            "kind": CHANGE_LABELS[kind],
            "label": label(
                urgency=incoming.urgency, number_symbol=incoming.number_symbol, summary=incoming.summary
            ),
        },
        body=_("Lý do: %(reason)s") % {"reason": reason},
        url=incoming.get_absolute_url(),
    )


def recall_by_status(*, message: InboxMessage, status) -> None:
    """A status 13 from the sender of a received document: applied as a recall."""
    document_id = status.response_for.document_id
    original = _original(agency_id=None, sender_code=status.sender.organ_id, document_id=document_id)
    if original is None:
        raise _unknown(CHANGE_LABELS[BusinessDocType.RECALL], document_id)
    message.duplicate_of = original
    message.agency_id = original.agency_id
    message.business_type = BusinessDocType.RECALL
    incoming = IncomingDocument.objects.select_for_update(of=("self",)).get(pk=original.incoming_id)
    recall(
        incoming=incoming,
        sender=message.sender_name or message.sender_code,
        reason=status.description or _("(không nêu lý do)"),
        now=timezone.now(),
    )


def pending_change(incoming: IncomingDocument) -> InboxMessage | None:
    """The recall, update or replacement of ``incoming`` still waiting for the clerk's answer."""
    answered = OutboxMessage.objects.filter(
        kind=MessageKind.STATUS,
        incoming_id=incoming.pk,
        status_code__in=[StatusCode.CHANGE_ACCEPTED, StatusCode.CHANGE_REFUSED],
        created_at__gte=OuterRef("received_at"),
    )
    return (
        InboxMessage.objects.filter(
            duplicate_of__incoming_id=incoming.pk,
            state=InboxMessage.State.IMPORTED,
            business_type__in=[BusinessDocType.RECALL, BusinessDocType.UPDATE, BusinessDocType.REPLACE],
        )
        .filter(~Exists(answered))
        .order_by("-received_at", "-pk")
        .first()
    )


def _apply_update(*, incoming: IncomingDocument, change: InboxMessage, by: User) -> None:
    with change.file.open("rb") as handle:
        package = parse.parse_package(handle.read()).package
    pdf = _main_pdf(package)
    values = _fields(package, pdf)
    values.pop("doc_type")
    changed = {k: v for k, v in values.items() if getattr(incoming, k) != v}
    with removed_on_error() as stored:
        for name, value in changed.items():
            setattr(incoming, name, value)
        if "file_sha256" in changed:
            incoming.file.save(values["file_name"], ContentFile(pdf.data), save=False)
            stored.append(incoming.file.name)
        incoming.save()
    wf.history_add(
        record=incoming,
        event=HistoryEntry.Event.COMMENT,
        actor=by,
        action="exchange_change",
        comment=_("Văn thư đồng ý cập nhật văn bản theo đề nghị của nơi gửi."),
        data={
            "kind": "updated",
            "fields": sorted(k for k in changed if k != "signature_report"),
            "inbox": change.pk,
        },
    )


def change_answer(
    *, incoming: IncomingDocument, accept: bool, by: User, reason: str = ""
) -> IncomingDocument:
    """The clerk answers the sender's recall, update or replacement: 15 (accepted, applied) or 16
    (refused, with the reason)."""
    from documents.incoming.services.common import locked_for
    from documents.incoming.services.recall_files import recall_destroy_files
    from documents.outgoing.delivery.tracking import sync_from_incoming

    incoming_rules.require_clerk(by, incoming.agency_id)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(_("Vui lòng nêu lý do từ chối."))
    with transaction.atomic():
        locked = locked_for(incoming, by, active=False)
        change = pending_change(locked)
        if change is None:
            raise ValidationError(_("Không có đề nghị thu hồi, cập nhật hoặc thay thế nào đang chờ trả lời."))
        kind = BusinessDocType(change.business_type)
        now = timezone.now()
        if kind == BusinessDocType.RECALL:
            if accept:
                locked.recall_confirmed_at = now
                locked.save(update_fields=["recall_confirmed_at"])
                recall_destroy_files(document=locked, by=by)
                comment = _("Văn thư xác nhận đã thu hồi văn bản theo đề nghị của nơi gửi.")
            else:
                locked.recalled_at = None
                locked.save(update_fields=["recalled_at"])
                comment = _("Văn thư từ chối thu hồi văn bản. Lý do: %(reason)s") % {"reason": reason}
        elif not accept:
            comment = _("Văn thư từ chối %(kind)s văn bản. Lý do: %(reason)s") % {
                "kind": CHANGE_LABELS[kind],
                "reason": reason,
            }
        elif kind == BusinessDocType.UPDATE:
            _apply_update(incoming=locked, change=change, by=by)
            comment = _("Văn thư đồng ý cập nhật văn bản.")
        else:
            with change.file.open("rb") as handle:
                parsed = parse.parse_package(handle.read())
            recall(
                incoming=locked,
                sender=change.sender_name or change.sender_code,
                reason=_("Được thay thế"),
                now=now,
            )
            locked.recall_confirmed_at = now
            locked.save(update_fields=["recall_confirmed_at"])
            recall_destroy_files(document=locked, by=by)
            replacement = incoming_from_package(message=change, parsed=parsed, agency=locked.agency)
            comment = _("Văn thư đồng ý thay thế văn bản; văn bản thay thế chờ vào sổ (%(symbol)s).") % {
                "symbol": replacement.number_symbol
            }
        if kind != BusinessDocType.UPDATE or not accept:
            wf.history_add(
                record=locked,
                event=HistoryEntry.Event.COMMENT,
                actor=by,
                action="exchange_change",
                comment=comment,
                data={"kind": "change_answered", "accepted": accept, "business_type": int(kind)},
            )
        status = DeliveryStatus.RECALL_ACCEPTED if accept else DeliveryStatus.RECALL_REFUSED
        sync_from_incoming(incoming=locked, status=status, by=by, note=comment if accept else reason)
    return locked


__all__ = ["change_answer", "incoming_from_package", "pending_change", "recall"]

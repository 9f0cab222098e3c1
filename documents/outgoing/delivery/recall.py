"""Recall: the recipients' incoming documents leave every active list, their open assignments are
cancelled, the people concerned are told; e-mail recipients get a recall notice."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import (
    IncomingDocument,
    incoming_content_type,
)
from documents.outgoing.delivery.common import heads_by_department, label, users_by_agency
from documents.outgoing.delivery.email import queue_emails
from documents.outgoing.delivery.tracking import set_status
from documents.outgoing.models import (
    DeliveryStatus,
    OutgoingDocument,
    OutgoingRecipient,
)
from eoffice.models import Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import Assignment, HistoryEntry, WorkflowState


def recall_propagate(*, document: OutgoingDocument, reason: str, by: User) -> None:
    """The sender recalled ``document`` (inside the recall transaction): each recipient's incoming document
    leaves every active list (kept, viewable, with a banner), its open assignments are cancelled, the people
    concerned are told; status 13 for each. E-mail recipients get a recall notice after commit; outside
    agencies a recall package by exchange."""
    if document.state != WorkflowState.RECALLED:
        raise ValidationError(_("Văn bản chưa ở trạng thái thu hồi."))
    now = timezone.now()
    with transaction.atomic():
        recipients = list(
            document.recipients.select_for_update(of=("self",)).filter(
                channel__in=[
                    OutgoingRecipient.Channel.INTERNAL,
                    OutgoingRecipient.Channel.EMAIL,
                    OutgoingRecipient.Channel.EXCHANGE,
                ]
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
        _recall_exchange(
            document=document,
            recipients=[r for r in recipients if r.channel == OutgoingRecipient.Channel.EXCHANGE],
            reason=reason,
            by=by,
        )
        queue_emails(
            "send_recall_email",
            [
                r.pk
                for r in recipients
                if r.channel == OutgoingRecipient.Channel.EMAIL and r.status == DeliveryStatus.SENT
            ],
        )


def _recall_exchange(*, document, recipients, reason: str, by: User) -> None:
    """Outside agencies: a recall package (type 1, with the reason) to each one the document reached, status
    13 until their answer (15 or 16) comes back; a package not sent yet is cancelled instead."""
    from documents.exchange.models import OutboxMessage
    from documents.exchange.services import outbox

    if not recipients:
        return
    OutboxMessage.objects.filter(
        recipient__in=recipients,
        business_type=0,
        state__in=[OutboxMessage.State.PENDING, OutboxMessage.State.FAILED],
    ).update(state=OutboxMessage.State.CANCELLED)
    reached = [
        r
        for r in recipients
        if r.status not in (DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.REFUSED)
    ]
    if reached:
        outbox.package_enqueue(document=document, recipients=reached, by=by, business_type=1, reason=reason)
        set_status(reached, DeliveryStatus.RECALL_REQUESTED, actor=by, note=reason)


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
    heads = heads_by_department(a.department_id for a in open_parts if not a.assignee_id)
    holders: dict[int, set[int]] = defaultdict(set)
    for a in open_parts:
        if a.assignee_id:
            holders[a.object_id].add(a.assignee_id)
        else:
            holders[a.object_id].update(u.pk for u in heads.get(a.department_id, []))
    clerks = users_by_agency({d.agency_id for d in incomings.values()}, Role.CLERK)
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
                "label": label(
                    urgency=incoming.urgency, number_symbol=incoming.number_symbol, summary=incoming.summary
                )
            },
            body=_("Lý do: %(reason)s") % {"reason": reason},
            url=incoming.get_absolute_url(),
        )
    set_status(recipients, DeliveryStatus.RECALL_REQUESTED, actor=by, note=reason)

"""Consultation (lấy ý kiến): people and units asked in parallel with a deadline, their answers, the
round closed with its summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.outgoing import rules
from documents.outgoing.models import (
    Consultation,
    ConsultationAnswer,
    OutgoingDocument,
)
from documents.outgoing.services.common import locked_for
from documents.outgoing.services.notices import notify_one
from eoffice.models import Department, Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import HistoryEntry


def consultation_start(
    *,
    document: OutgoingDocument,
    by: User,
    question: str,
    people: Sequence[User] = (),
    departments: Sequence[Department] = (),
    deadline: dt.datetime,
) -> Consultation:
    """Ask several people and/or units (their heads answer) in parallel, with a deadline."""
    errors = {}
    if not question.strip():
        errors["question"] = _("Vui lòng nhập nội dung xin ý kiến.")
    if deadline <= timezone.now():
        errors["deadline"] = _("Hạn góp ý phải sau thời điểm hiện tại.")
    respondents: dict[int, tuple[User, Department | None]] = {}
    for person in people:
        if person.agency_id != document.agency_id or not person.is_active:
            errors["people"] = _("Chỉ lấy ý kiến cán bộ đang làm việc trong cơ quan.")
        elif person.pk != by.pk:
            respondents[person.pk] = (person, None)
    for department in departments:
        if department.agency_id != document.agency_id:
            errors["departments"] = _("Đơn vị không thuộc cơ quan.")
            continue
        heads = list(
            User.objects.filter(
                department=department, is_active=True, groups__agency_role__role=Role.DEPARTMENT_HEAD
            ).distinct()
        )
        if not heads:
            errors["departments"] = _("Đơn vị %(name)s chưa có lãnh đạo để trả lời.") % {
                "name": department.name
            }
        for head in heads:
            if head.pk != by.pk:
                respondents.setdefault(head.pk, (head, department))
    if not respondents and "people" not in errors and "departments" not in errors:
        errors["people"] = _("Vui lòng chọn người hoặc đơn vị cho ý kiến.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = locked_for(document, by)
        if not rules.can_edit(locked, by):
            raise PermissionDenied(_("Chỉ người đang giữ dự thảo mới lấy ý kiến."))
        consultation = Consultation.objects.create(
            document=locked,
            requested_by=by,
            question=question.strip(),
            version=locked.current_version,
            deadline=deadline,
        )
        ConsultationAnswer.objects.bulk_create(
            ConsultationAnswer(consultation=consultation, respondent=user, department=department)
            for user, department in respondents.values()
        )
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=_("Lấy ý kiến: %(q)s") % {"q": question.strip()},
            data={"consultation": consultation.pk, "respondents": list(respondents)},
        )
        notify(
            recipients=[user for user, _dep in respondents.values()],
            kind="documents.outgoing",
            title=_("Xin ý kiến về dự thảo: %(label)s") % {"label": rules.label(locked)},
            body=question.strip()[:200],
            url=locked.get_absolute_url(),
        )
    return consultation


def consultation_answer(
    *, answer: ConsultationAnswer, by: User, value: str, note: str = ""
) -> ConsultationAnswer:
    if value not in (
        ConsultationAnswer.Answer.AGREE,
        ConsultationAnswer.Answer.DISAGREE,
        ConsultationAnswer.Answer.OTHER,
    ):
        raise ValidationError({"answer": _("Vui lòng chọn ý kiến.")})
    if value != ConsultationAnswer.Answer.AGREE and not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi rõ ý kiến khi không đồng ý hoặc có ý kiến khác.")})
    with transaction.atomic():
        row = (
            ConsultationAnswer.objects.select_for_update()
            .select_related("consultation__document")
            .get(pk=answer.pk)
        )
        if row.respondent_id != by.pk:
            raise PermissionDenied
        if row.consultation.closed_at is not None:
            raise ValidationError(_("Đợt lấy ý kiến đã kết thúc."))
        row.answer, row.note, row.answered_at = value, note.strip(), timezone.now()
        row.save(update_fields=["answer", "note", "answered_at"])
        document = row.consultation.document
        wf.history_add(
            record=document,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=f"{row.get_answer_display()}: {note.strip()}".strip(": "),
            data={"consultation": row.consultation_id, "answer": value},
        )
    notify_one(
        row.consultation.requested_by,
        by=by,
        kind="documents.outgoing",
        title=_("%(name)s đã cho ý kiến về dự thảo: %(label)s")
        % {"name": by.full_name, "label": rules.label(document)},
        document=document,
    )
    return row


def consultation_close(*, consultation: Consultation, by: User, summary: str = "") -> Consultation:
    """Close the round and keep its summary with the draft (counts + the requester's synthesis)."""
    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if row.requested_by_id != by.pk and not rules.can_edit(row.document, by):
            raise PermissionDenied
        if row.closed_at is not None:
            return row
        row.closed_at = timezone.now()
        row.summary = (
            rules.consultation_summary_text(row) + ("\n" + summary.strip() if summary.strip() else "")
        ).strip()
        row.save(update_fields=["closed_at", "summary"])
        wf.history_add(
            record=row.document,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=_("Tổng hợp ý kiến: %(s)s") % {"s": row.summary},
            data={"consultation": row.pk},
        )
    return row

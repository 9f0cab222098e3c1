"""Answers to petitions and feedback published on the public list (/don-thu/tra-loi/): only a resolved
petition or feedback whose sender consented (``Case.publish_consent``) in an agency that publishes answers;
the question is rewritten by the officer without the identity, and the service refuses a text that still
holds the name, ID number, address, phone or e-mail of anyone on the letter (compared on the server, nothing
is revealed or logged). Withdrawing hides the answer again; publishing again brings it back."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import crypto, rules, selectors
from complaints.models import Case, CaseKind, CaseState, Identity, PublishedAnswer
from complaints.services.common import case_history
from eoffice.models import User
from eoffice.search import fold
from workflow.models import ACTIONS, ActionInfo

ACTIONS.setdefault("answer_withdrawn", ActionInfo(gettext_lazy("Gỡ câu trả lời công khai")))

__all__ = ["answer_publish", "answer_publishable", "answer_withdraw", "can_publish_answer"]

PUBLISHABLE_KINDS = (CaseKind.PETITION, CaseKind.FEEDBACK)
PUBLISHABLE_STATES = (CaseState.RESOLVED, CaseState.CLOSED)
TEXT_MAX = 10000


def can_publish_answer(user: User, case: Case) -> bool:
    """Publish or withdraw the answer of ``case``: the agency's officers and deciders, and those who
    resolve it."""
    return rules.is_staff_of(user, case.agency_id) or rules.can_resolve(user, case)


def answer_publishable(case: Case) -> str:
    """Why the answer of ``case`` cannot be published ("" when it can)."""
    if case.kind not in PUBLISHABLE_KINDS:
        return _("Chỉ công khai câu trả lời kiến nghị, phản ánh.")
    if case.state not in PUBLISHABLE_STATES:
        return _("Kiến nghị, phản ánh chưa có câu trả lời.")
    if not case.publish_consent:
        return _("Người gửi không đồng ý công khai câu trả lời.")
    if not rules.settings_for(case.agency_id).publish_answers:
        return _("Cơ quan không công khai câu trả lời kiến nghị.")
    return ""


def _identity_fragments(case: Case) -> list[str]:
    """The folded identifying values of everyone on the case's letter: the whole name, ID number, address,
    phone and e-mail (values of four characters or more)."""
    fragments = []
    for identity in Identity.objects.filter(letter_id=case.letter_id):
        for field in ("name", "id_number", "address", "phone", "email"):
            value = " ".join(crypto.decrypt(getattr(identity, f"{field}_enc")).split())
            if len(value) >= 4:
                fragments.append(fold(value))
    return fragments


def _check_text(case: Case, question: str, answer: str) -> None:
    folded = fold(f"{question}\n{answer}")
    folded = " ".join(folded.split())
    for fragment in _identity_fragments(case):
        if fragment in folded:
            raise ValidationError(
                _(
                    "Nội dung công khai còn thông tin cá nhân của người gửi đơn (họ tên, số giấy tờ, địa "
                    "chỉ, điện thoại hoặc thư điện tử). Vui lòng biên tập lại."
                ),
                code="identity",
            )


def answer_publish(*, case: Case, by: User, question: str, answer: str) -> PublishedAnswer:
    """Publish the answer of a resolved petition or feedback whose sender consented; ``question`` is the
    content rewritten without the identity. Publishing again replaces the texts (and undoes a withdrawal)."""
    question = (question or "").strip()
    answer = (answer or "").strip()
    if not question or not answer:
        raise ValidationError(_("Vui lòng nhập nội dung kiến nghị và nội dung trả lời."), code="empty")
    if len(question) > TEXT_MAX or len(answer) > TEXT_MAX:
        raise ValidationError(_("Mỗi nội dung dài tối đa %(n)d ký tự.") % {"n": TEXT_MAX}, code="too_long")
    with transaction.atomic():
        locked = selectors.case_access(user=by, pk=case.pk, lock=True)
        if not can_publish_answer(by, locked):
            raise PermissionDenied(_("Bạn không có quyền công khai câu trả lời này."))
        reason = answer_publishable(locked)
        if reason:
            raise ValidationError(reason, code="not_publishable")
        _check_text(locked, question, answer)
        now = timezone.now()
        row, created = PublishedAnswer.objects.select_for_update().get_or_create(
            case=locked,
            defaults={
                "agency_id": locked.agency_id,
                "question": question,
                "answer": answer,
                "published_at": now,
                "published_by": by,
            },
        )
        if not created:
            row.question, row.answer = question, answer
            row.published_at, row.published_by, row.withdrawn_at = now, by, None
            row.save(update_fields=["question", "answer", "published_at", "published_by", "withdrawn_at"])
        case_history(
            case=locked,
            by=by,
            action="publication",
            comment=_("Công khai câu trả lời trên trang tra cứu trực tuyến"),
            data={"published_answer": row.pk},
        )
    return row


def answer_withdraw(*, case: Case, by: User, reason: str = "") -> PublishedAnswer:
    """Take the published answer of ``case`` off the public list."""
    with transaction.atomic():
        locked = selectors.case_access(user=by, pk=case.pk, lock=True)
        if not can_publish_answer(by, locked):
            raise PermissionDenied(_("Bạn không có quyền gỡ câu trả lời này."))
        row = PublishedAnswer.objects.select_for_update().filter(case=locked).first()
        if row is None or row.withdrawn_at is not None:
            raise ValidationError(_("Câu trả lời không còn được công khai."), code="not_published")
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])
        case_history(
            case=locked,
            by=by,
            action="answer_withdrawn",
            comment=(reason or "").strip()[:500],
            data={"published_answer": row.pk},
        )
    return row

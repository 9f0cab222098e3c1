"""Reads of the outgoing-document pages, filtered inside the SQL to what the user may see: the rule is
``visible_q`` beside the model (``documents.outgoing.models.document``), the one the workflow engine asks
through ``OutgoingDocument.visible_to``."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from documents.outgoing.format.reviewers import is_reviewer_anywhere
from documents.outgoing.models import (
    AFTER_SIGNATURE,
    ISSUED_STATES,
    Consultation,
    ConsultationAnswer,
    DeliveryEvent,
    DraftComment,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingVersion,
    visible_q,
)
from documents.search.query import matches_q
from eoffice.db import count_each
from eoffice.models import Agency, Role, User
from workflow.models import WorkflowState


def visible_outgoing(user: User) -> QuerySet[OutgoingDocument]:
    return OutgoingDocument.objects.filter(visible_q(user))


# --- queues ------------------------------------------------------------------------------------------

QUEUES = ("mine", "review", "format", "consult", "sign", "issue", "issued", "recalled", "all")


def _pending_answer(user: User):
    return ConsultationAnswer.objects.filter(
        consultation__document=OuterRef("pk"),
        consultation__closed_at__isnull=True,
        respondent_id=user.pk,
        answer=ConsultationAnswer.Answer.PENDING,
    )


def queue_q(user: User, queue: str) -> Q:
    if queue == "mine":
        return Q(drafted_by_id=user.pk) & ~Q(state__in=[*ISSUED_STATES, WorkflowState.CANCELLED])
    if queue == "review":
        return Q(reviewer_id=user.pk, state=WorkflowState.SUBMITTED)
    if queue == "format":  # Văn phòng's format check before signing
        return Q(format_reviewer_id=user.pk, state=WorkflowState.FORMAT_CHECK)
    if queue == "consult":
        return Q(Exists(_pending_answer(user))) & ~Q(state__in=[*AFTER_SIGNATURE, WorkflowState.CANCELLED])
    if queue == "sign":
        return Q(signer_id=user.pk, state=WorkflowState.SIGNING)
    if queue == "issue":
        return Q(state=WorkflowState.SIGNED) if user.has_role(Role.CLERK) else Q(pk__in=[])
    if queue == "issued":
        return Q(state=WorkflowState.ISSUED)
    if queue == "recalled":
        return Q(state=WorkflowState.RECALLED)
    return Q()


BADGE_QUEUES = ("mine", "review", "format", "consult", "issue")


def queue_counts(
    user: User, queues: tuple[str, ...] = BADGE_QUEUES, *, fresh: bool = False
) -> dict[str, int]:
    """The counts of ``queues`` in one round trip; the badges (the default queues) once per request, kept on
    the user object."""
    keep = not fresh and queues == BADGE_QUEUES
    if keep and (kept := getattr(user, "_outgoing_queue_counts", None)) is not None:
        return kept
    counts = dict.fromkeys(queues, 0)
    if user.agency_id:
        counts.update(count_each({key: visible_outgoing(user).filter(queue_q(user, key)) for key in queues}))
    if keep:
        user._outgoing_queue_counts = counts
    return counts


def queue_count(user: User, queue: str) -> int:
    """One queue counted now, by the same query as its badge."""
    return queue_counts(user, (queue,), fresh=True)[queue]


def queues_for(user: User) -> list[str]:
    """The queues that make sense for this person's roles (the tabs of the list page)."""
    roles = user.roles
    queues = ["mine"]
    if Role.DEPARTMENT_HEAD in roles or Role.LEADER in roles:
        queues.append("review")
    if is_reviewer_anywhere(user):
        queues.append("format")
    queues.append("consult")
    if Role.LEADER in roles or Role.DEPARTMENT_HEAD in roles:  # unit heads sign TL., TUQ. (signers)
        queues.append("sign")
    if Role.CLERK in roles:
        queues.append("issue")
    return [*queues, "issued", "recalled", "all"]


def outgoing_list(
    *,
    user: User,
    queue: str = "all",
    text: str = "",
    doc_type: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[OutgoingDocument]:
    qs = visible_outgoing(user).filter(queue_q(user, queue))
    if (text_q := matches_q(text)) is not None:
        qs = qs.filter(text_q)
    if doc_type:
        qs = qs.filter(doc_type_id=doc_type)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=datetime.combine(date_from, time.min, tz))
    if date_to:
        qs = qs.filter(created_at__lte=datetime.combine(date_to, time.max, tz))
    order = (
        ("-issued_at", "-created_at", "-id") if queue in ("issued", "recalled") else ("-created_at", "-id")
    )
    return (
        qs.select_related("doc_type", "drafted_by", "signer", "department")
        .annotate(recipient_count=Count("recipients", distinct=True))
        .order_by(*order)
    )


# Few joins on purpose: with all fourteen of the detail's foreign keys joined, the access query took 50-85 ms
# on the 10k bench (load ~5; planning 7-67 ms, execution 1 ms) against ~7 ms with none and ~10 ms with these
# five, on every detail page and every action's POST. The others load when used, a primary-key query each.
DETAIL_RELATED = ("doc_type", "agency", "agency__parent", "department", "signer")


def outgoing_access(*, user: User, pk: int, lock: bool = False) -> OutgoingDocument:
    """The outgoing document ``pk`` if ``user`` may see it, else the same 404 for missing and forbidden.
    ``lock=True`` (inside the caller's ``transaction.atomic``) locks its row with ``SELECT … FOR UPDATE``."""
    qs = visible_outgoing(user)
    if lock:
        return get_object_or_404(qs.select_for_update(of=("self",)), pk=pk)
    return get_object_or_404(qs.select_related(*DETAIL_RELATED), pk=pk)


def versions_of(document: OutgoingDocument) -> QuerySet[OutgoingVersion]:
    return document.versions.select_related("created_by").order_by("-number")


def version_get(*, user: User, document_pk: int, number: int) -> OutgoingVersion:
    document = outgoing_access(user=user, pk=document_pk)
    return get_object_or_404(document.versions, number=number)


def comments_of(document: OutgoingDocument) -> QuerySet[DraftComment]:
    return document.comments.select_related("author", "version")


def consultations_of(document: OutgoingDocument) -> QuerySet[Consultation]:
    return document.consultations.select_related("requested_by").prefetch_related(
        Prefetch(
            "answers",
            queryset=ConsultationAnswer.objects.select_related("respondent", "department").order_by("id"),
        )
    )


def my_pending_answers(*, user: User, document: OutgoingDocument) -> list[ConsultationAnswer]:
    return list(
        ConsultationAnswer.objects.filter(
            consultation__document=document,
            consultation__closed_at__isnull=True,
            respondent_id=user.pk,
        ).select_related("consultation")
    )


def my_answer(*, user: User, document: OutgoingDocument, pk: int) -> ConsultationAnswer:
    """One of ``user``'s answers to a consultation on ``document`` (404 for anybody else's)."""
    return get_object_or_404(ConsultationAnswer, pk=pk, consultation__document=document, respondent=user)


def consultation_of(*, document: OutgoingDocument, pk: int) -> Consultation:
    return get_object_or_404(document.consultations, pk=pk)


def recipient_of(*, document: OutgoingDocument, pk: int) -> OutgoingRecipient:
    return get_object_or_404(OutgoingRecipient, pk=pk, document=document)


def recipients_of(document: OutgoingDocument) -> QuerySet[OutgoingRecipient]:
    """The recipients with their trail of statuses (and who acted) and their exchange outbox rows: the
    delivery section shows each status and offers "Gửi lại" on a failed package in a fixed number of
    queries."""
    return (
        document.recipients.select_related("agency")
        .prefetch_related(
            Prefetch("events", queryset=DeliveryEvent.objects.select_related("actor")), "outbox"
        )
        .order_by("channel", "name")
    )


def recipient_agencies(user: User) -> QuerySet[Agency]:
    """The directory of agencies a document can be sent to (every active agency but one's own)."""
    return (
        Agency.objects.filter(is_active=True)
        .exclude(pk=user.agency_id)
        .select_related("parent")
        .order_by("name")
    )


def reviewers_of(agency_id: int) -> QuerySet[User]:
    return (
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__role__in=[Role.DEPARTMENT_HEAD, Role.LEADER],
        )
        .distinct()
        .select_related("department")
        .order_by("department__name", "full_name")
    )

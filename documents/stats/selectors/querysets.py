"""The rows counted at each level, already filtered to what the viewer may see."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from documents.incoming.selectors import ACTIVE_Q, visible_incoming, visible_q
from documents.models import Confidentiality, IncomingDocument
from documents.stats.selectors.buckets import INCOMING, PARTS, WORK
from documents.stats.selectors.scopes import Scope, headed_unit, sees_agency
from eoffice.models import User
from workflow.models import (
    Assignment,
    WorkflowState,
    WorkItem,
)


def content_types() -> dict[str, ContentType]:
    return {
        "incoming": ContentType.objects.get_for_model(IncomingDocument),
        "work": ContentType.objects.get_for_model(WorkItem),
    }


def incoming_qs(user: User, agency_id: int) -> QuerySet[IncomingDocument]:
    return visible_incoming(user).filter(INCOMING.counted_q, ACTIVE_Q, agency_id=agency_id)


def work_qs(user: User, agency_id: int) -> QuerySet[WorkItem]:
    return WorkItem.visible_to(user).filter(WORK.counted_q, agency_id=agency_id)


def _hidden_incoming(user: User, agency_id: int) -> QuerySet:
    """The documents of the agency with a part in a scope the user may see, yet not visible to them.

    Within such a scope an ordinary registered document is always visible to the viewer (a leader or
    clerk sees every one; a head is involved through the part given to their unit, ``parts_qs`` keeps a
    head to their unit's parts; anyone else holds the part); so only secret documents not granted to
    them and documents not yet registered can be hidden — a handful, found by their indexes, and the
    test ``test_parts_visibility_matches_the_documents_selector`` holds this against ``visible_q``.
    """
    return (
        IncomingDocument.objects.filter(
            Q(confidentiality__gt=Confidentiality.NORMAL) | Q(state=WorkflowState.NEW), agency_id=agency_id
        )
        .exclude(visible_q(user))
        .values("pk")
    )


def _visible_parts_q(user: User, kinds: tuple[str, ...], agency_id: int) -> Q:
    """Parts of records the user may see (a secret document not granted: not even counted).

    A part of a document recalled by its sender is cancelled by the recall (``_recall_incoming``): it is
    not counted, as no cancelled part is; a part finished before the recall stays finished."""
    cts = content_types()
    q = Q(pk__in=[])
    if "incoming" in kinds:
        q |= Q(content_type=cts["incoming"]) & ~Q(object_id__in=_hidden_incoming(user, agency_id))
    if "work" in kinds:
        items = WorkItem.visible_to(user).filter(pk=OuterRef("object_id"))
        q |= Q(content_type=cts["work"]) & Q(Exists(items))
    return q


def parts_qs(user: User, scope: Scope, kinds: tuple[str, ...], *, by: str = "") -> QuerySet[Assignment]:
    """Lead parts of the scope: the agency's units' parts (``by="units"``), a unit's own parts, the parts
    held by the people of a unit (``by="people"``), or a person's parts. A head who is not also a leader
    or clerk sees the parts of their people given in their unit only (the documents they may see)."""
    qs = Assignment.objects.filter(
        _visible_parts_q(user, kinds, scope.agency.pk),
        PARTS.counted_q,
        agency_id=scope.agency.pk,
        role=Assignment.Kind.LEAD,
    )
    if scope.level == "agency":
        return qs.filter(parent__isnull=True)
    within_unit = {} if sees_agency(user) else {"department_id": headed_unit(user)}
    if scope.level == "unit":
        if by == "people" and scope.unit:
            return qs.filter(assignee__department_id=scope.unit.pk, **within_unit)
        return qs.filter(parent__isnull=True, department_id=scope.unit.pk if scope.unit else None)
    if scope.person.pk == user.pk:
        return qs.filter(assignee_id=user.pk)
    return qs.filter(assignee_id=scope.person.pk, **within_unit)

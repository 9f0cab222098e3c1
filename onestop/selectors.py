"""Every read of the one-stop pages, filtered to what the person may see inside the SQL.

Who sees which dossiers of their agency:
- one-stop officers and leaders: all of them (they receive, return and approve);
- a unit's head: those handed to the unit;
- an officer: those they hold or held (a step's receiver).
Nobody sees another agency's dossiers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from eoffice.db import count_each
from eoffice.models import Agency, Department, Role, User

from .models import (
    COUNTER_STATES,
    OPEN_STATES,
    PROCESSING_STATES,
    UNIT_HEAD_STATES,
    Dossier,
    DossierState,
    DossierStep,
    OnestopConfig,
)


def config_for(agency: Agency) -> OnestopConfig:
    """The agency's one-stop configuration, created with the counter's address and phone on first use."""
    config, _created = OnestopConfig.objects.get_or_create(
        agency=agency, defaults={"counter_address": agency.address, "counter_phone": agency.phone}
    )
    return config


def sees_all(user: User) -> bool:
    return user.has_role(Role.ONESTOP_OFFICER, Role.LEADER)


def visible_q(user: User) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return Q(pk__in=[])
    agency = Q(agency_id=user.agency_id)
    if sees_all(user):
        return agency
    mine = Q(holder_id=user.pk) | Q(
        pk__in=DossierStep.objects.filter(receiver_id=user.pk).values("dossier_id")
    )
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        mine |= Q(department_id=user.department_id)
    return agency & mine


def visible(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(visible_q(user))


DETAIL_RELATED = (
    "procedure",
    "procedure__field",
    "department",
    "holder",
    "officer",
    "leader",
    "received_by",
    "sign_request",
)
"""What the dossier page shows of a dossier's relations, joined in its one query."""


def dossier_access(*, user: User, pk: int, lock: bool = False) -> Dossier:
    """One dossier the user may see, with what the page shows joined; the same 404 whether it is missing or
    not the user's to see. With ``lock`` the dossier's row is locked (``select_for_update``) until the end of
    the caller's transaction."""
    qs = visible(user).select_related(*DETAIL_RELATED)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return get_object_or_404(qs, pk=pk)


# ---- queues ----------------------------------------------------------------------------------------

QUEUES = ("todo", "online", "handoff", "returning", "supplement", "overdue", "open", "all")
"""The queues of the dossier list (``queue_q``), in the order of its tabs."""
WIDGET_QUEUES = ("open", "overdue", "supplement", "returning")
"""The queues counted by the dashboard widget (``stats.selectors.widget_counts``)."""
PAGE_SIZE = 25
"""The rows of a page of the staff's dossier lists (the queues and the statistics' lists)."""


def queue_q(user: User, queue: str, *, now=None) -> Q:
    """The filter of a queue (inside ``visible_q``)."""
    now = now or timezone.now()
    onestop = user.has_role(Role.ONESTOP_OFFICER)
    if queue == "todo":
        q = Q(holder_id=user.pk, state__in=[DossierState.PROCESSING, DossierState.APPROVAL])
        if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
            q |= Q(department_id=user.department_id, state__in=UNIT_HEAD_STATES)
        if onestop:
            q |= Q(state__in=COUNTER_STATES)
        return q
    if queue == "online":
        return Q(state=DossierState.SUBMITTED) if onestop else Q(pk__in=[])
    if queue == "handoff":
        return Q(state=DossierState.RECEIVED)
    if queue == "returning":
        return Q(state=DossierState.RETURNING)
    if queue == "supplement":
        return Q(state=DossierState.SUPPLEMENT)
    if queue == "overdue":
        return Q(state__in=list(PROCESSING_STATES), due_at__lt=now)
    if queue == "open":
        return Q(state__in=list(OPEN_STATES))
    return Q()


def queue(user: User, name: str) -> QuerySet[Dossier]:
    return visible(user).filter(queue_q(user, name))


def queue_counts(user: User, names: tuple[str, ...], *, fresh: bool = False) -> dict[str, int]:
    """Several queues' counts in one round trip, kept on the user object for the request (every badge of
    the menu asks for the same set)."""
    kept = user.__dict__.setdefault("_onestop_queue_counts", {})
    if fresh or names not in kept:
        base = visible_q(user)
        kept[names] = count_each({name: Dossier.objects.filter(base & queue_q(user, name)) for name in names})
    return kept[names]


def staff_with_role(agency_id: int, role: str, **filters) -> QuerySet[User]:
    """Active staff of an agency holding ``role`` there (one-stop officers, a unit's heads, leaders …)."""
    return (
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__agency_id=agency_id,
            groups__agency_role__role=role,
            **filters,
        )
        .select_related("department")
        .distinct()
        .order_by("full_name")
    )


def counter_department(agency_id: int) -> Department | None:
    """The unit of the agency's one-stop officers (where results come back to)."""
    officer = staff_with_role(agency_id, Role.ONESTOP_OFFICER, department__isnull=False).first()
    return officer.department if officer else None


def steps(dossier: Dossier) -> QuerySet[DossierStep]:
    return dossier.steps.select_related("giver", "receiver", "receiver_department").order_by(
        "started_at", "id"
    )


def public_dossier(code: str) -> Dossier | None:
    """The dossier of a public code (the dossier code or, before receipt, the reference); None otherwise."""
    code = (code or "").strip().upper()
    if not code or len(code) > 40 or "\x00" in code:  # PostgreSQL text holds no NUL: no such code
        return None
    field = "code" if not code.startswith("TN-") else "reference"
    return Dossier.objects.select_related("procedure", "agency", "department").filter(**{field: code}).first()

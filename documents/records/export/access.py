"""Who may print a transfer's list and hand-over record: the people of the transfer's agency who take part
in it or oversee it (its submitter, the archivists, clerks, leaders and agency admins, the head of the unit
that hands it over). The same 404 for "missing" and "not yours"."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from documents.records.models import Transfer
from eoffice.models import Role


def transfer_access(*, user, pk: int) -> Transfer:
    qs = Transfer.objects.select_related(
        "agency", "agency__parent", "department", "submitted_by", "decided_by"
    )
    if not user.is_authenticated or not user.agency_id:
        return get_object_or_404(qs.none(), pk=pk)
    mine = Q(agency_id=user.agency_id)
    if not user.has_role(Role.ARCHIVIST, Role.CLERK, Role.LEADER, Role.AGENCY_ADMIN):
        own = Q(submitted_by_id=user.pk)
        if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
            own |= Q(department_id=user.department_id)
        mine &= own
    return get_object_or_404(qs.filter(mine), pk=pk)

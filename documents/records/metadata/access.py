"""Who may do what with the metadata of a record: reach the record (the owner module's access helper, the
same 404 for missing and forbidden), fill its custom fields, manage the agency's fields, confirm access
changes."""

from __future__ import annotations

from django.http import Http404

from eoffice.models import Role

KINDS = ("incoming", "outgoing", "casefile")


def record_access(*, user, kind: str, pk: int, lock: bool = False):
    """The record ``kind``/``pk`` the user may see (404 otherwise)."""
    if kind == "incoming":
        from documents.incoming.selectors import incoming_access

        return incoming_access(user=user, pk=pk, lock=lock)
    if kind == "outgoing":
        from documents.outgoing.selectors import outgoing_access

        return outgoing_access(user=user, pk=pk, lock=lock)
    if kind == "casefile":
        from documents.records.access import case_file_access

        return case_file_access(user=user, pk=pk, lock=lock, audit=None)
    raise Http404


def can_edit_values(user, kind: str, record) -> bool:
    """People who may edit the record may fill its custom fields: the agency's clerks and leaders; the
    person who holds an incoming document's lead part; an outgoing document's drafter; a case file's
    managers (``documents.records.access.can_manage``)."""
    if not user.is_authenticated or user.agency_id != record.agency_id:
        return False
    if kind == "casefile":
        from documents.records.access import can_manage

        return can_manage(user, record)
    if user.has_role(Role.CLERK, Role.LEADER):
        return True
    if kind == "outgoing":
        return record.drafted_by_id == user.pk
    if kind == "incoming":
        from documents.incoming.models import holds_lead

        return holds_lead(record, user)
    return False


def can_manage_fields(user) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.has_role(Role.AGENCY_ADMIN))


def can_confirm(user, agency_id: int) -> bool:
    """A person with authority over access rights: a leader or the agency admin of the agency."""
    return bool(
        user.is_authenticated
        and user.agency_id == agency_id
        and user.has_role(Role.LEADER, Role.AGENCY_ADMIN)
    )

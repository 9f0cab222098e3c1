"""Who reads a case file given an information level (IV.1.a), as a SQL filter joined to the file rules of
``documents.records.access``: a file with no level is unaffected; a file with a level is read by its owner,
the level's members (named people, people of a named unit, members of a named group) and, once it is in
the archive, the archivists who keep it. Leaders are not members by office: the administrator names them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from documents.records.levels.models import InformationLevel
from documents.records.models import CaseFile
from eoffice.models import Role, User

# the file's statuses once the archive holds it (``documents.records.access`` imports it from here)
IN_ARCHIVE = (CaseFile.Status.ARCHIVED, CaseFile.Status.DISPOSED)


def level_q(user: User) -> Q:
    """The files ``user`` may read as far as their information level goes."""
    through_users = InformationLevel.users.through.objects.filter(
        informationlevel_id=OuterRef("info_level_id"), user_id=user.pk
    )
    member = Exists(through_users)
    if user.department_id:
        member |= Exists(
            InformationLevel.departments.through.objects.filter(
                informationlevel_id=OuterRef("info_level_id"), department_id=user.department_id
            )
        )
    groups = user.groups.through.objects.filter(user_id=user.pk).values("group_id")
    member |= Exists(
        InformationLevel.groups.through.objects.filter(
            informationlevel_id=OuterRef("info_level_id"), group_id__in=groups
        )
    )
    allowed = Q(info_level__isnull=True) | Q(owner_id=user.pk) | Q(member)
    if Role.ARCHIVIST in user.roles:
        allowed |= Q(status__in=IN_ARCHIVE)
    return allowed


def can_manage_levels(user: User) -> bool:
    """The agency's administrator defines the levels."""
    return bool(user.is_authenticated and user.agency_id and user.has_role(Role.AGENCY_ADMIN))


def can_set_level(user: User, case_file) -> bool:
    """A person with authority over the file's access gives or removes its level: a leader, the agency
    admin, or the archivist once the file is in the archive; the file must belong to their agency."""
    if not user.is_authenticated or user.agency_id != case_file.agency_id:
        return False
    if user.has_role(Role.LEADER, Role.AGENCY_ADMIN):
        return True
    return case_file.status in IN_ARCHIVE and user.has_role(Role.ARCHIVIST)

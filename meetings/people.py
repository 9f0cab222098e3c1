"""Who a meeting concerns, as people: the ones to invite, remind and count. Reads only."""

from __future__ import annotations

from django.db.models import Q

from eoffice.models import Role, User

from .models import Meeting, Participant


def unit_heads_q(department_ids) -> Q:
    """The heads and deputies of these units: they receive what is sent to their unit."""
    return Q(
        department_id__in=list(department_ids),
        groups__agency_role__role=Role.DEPARTMENT_HEAD,
        is_active=True,
    )


def attendee_users(meeting: Meeting, *, participants: list[Participant] | None = None) -> list[User]:
    """The people who attend: the chair, each person listed (or their approved substitute), and the heads
    of each unit listed. Other agencies and outsiders are reached through the Giấy mời and e-mail."""
    if participants is None:
        participants = list(meeting.participants.select_related("user", "substitute"))
    users: dict[int, User] = {}
    if meeting.chair_id:
        users[meeting.chair_id] = meeting.chair
    department_ids = []
    for p in participants:
        if p.user_id:
            if p.substitute_id and p.substitute_status == Participant.Substitute.APPROVED:
                users[p.substitute_id] = p.substitute
            else:
                users[p.user_id] = p.user
        elif p.department_id:
            department_ids.append(p.department_id)
    if department_ids:
        for user in User.objects.filter(unit_heads_q(department_ids)).distinct():
            users.setdefault(user.pk, user)
    return list(users.values())


def outsider_addresses(meeting: Meeting) -> list[tuple[str, str]]:
    """(name, e-mail) of the outsiders invited with an address."""
    return [
        (p.name, p.email)
        for p in meeting.participants.filter(user__isnull=True, department__isnull=True, agency__isnull=True)
        if p.email
    ]

"""The reads of the agency admin's "Xác thực hai lớp" page."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from eoffice.models import Agency, User
from eoffice.twofactor import policy
from eoffice.twofactor.services import LOG_PREFIX, may_manage


def agency_staff(*, user) -> QuerySet[User]:
    """The active people of the admin's agency with their two-factor status (one query)."""
    if not may_manage(user):
        raise PermissionDenied
    people = User.objects.filter(agency_id=user.agency_id, is_active=True).select_related("department")
    return policy.with_status(people, user.agency.two_factor).order_by("full_name", "pk")


def agency_history(*, user, limit: int = 30) -> QuerySet[LogEntry]:
    """The last two-factor changes of the agency: its policy, and its people's enrolments and resets."""
    if not may_manage(user):
        raise PermissionDenied
    people = User.objects.filter(agency_id=user.agency_id).annotate(key=Cast("pk", CharField())).values("key")
    user_type = ContentType.objects.get_for_model(User)
    agency_type = ContentType.objects.get_for_model(Agency)
    return (
        LogEntry.objects.filter(change_message__startswith=LOG_PREFIX)
        .filter(
            Q(content_type=user_type, object_id__in=people)
            | Q(content_type=agency_type, object_id=str(user.agency_id))
        )
        .select_related("user")
        .order_by("-action_time", "-pk")[:limit]
    )

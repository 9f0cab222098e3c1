"""Who must sign in with a second factor, and who has one (reads only)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from eoffice.models import AgencyRole, Role, User

OPTIONAL = "optional"
LEADERS = "leaders"
ALL = "all"
# "leaders": the roles that sign, register and administer (Django admin's staff too)
REQUIRED_ROLES = (Role.LEADER, Role.CLERK, Role.AGENCY_ADMIN)


def policy_of(user) -> str:
    """The agency's policy; a person without an agency (the installation's administrators) follows
    ``EOFFICE_TWO_FACTOR_NO_AGENCY`` ("optional" unless set)."""
    agency = getattr(user, "agency", None) if getattr(user, "agency_id", None) else None
    if agency is None:
        return getattr(settings, "EOFFICE_TWO_FACTOR_NO_AGENCY", OPTIONAL)
    return agency.two_factor


def required_for(user) -> bool:
    """Whether ``user`` may not work without a verified second factor."""
    policy = policy_of(user)
    if policy == ALL:
        return True
    if policy == LEADERS:
        return bool(user.is_superuser or user.is_staff or user.has_role(*REQUIRED_ROLES))
    return False


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def backup_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_device(user) -> bool:
    """A confirmed authenticator app (backup codes exist only beside one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def required_q(policy: str) -> Q:
    """The people of one agency the policy requires, as a filter on ``User`` (inside the SQL)."""
    if policy == ALL:
        return Q()
    if policy == LEADERS:
        holds = AgencyRole.objects.filter(
            group__user=OuterRef("pk"), agency_id=OuterRef("agency_id"), role__in=REQUIRED_ROLES
        )
        return Q(is_superuser=True) | Q(is_staff=True) | Q(Exists(holds))
    return Q(pk__in=[])


def with_status(queryset: QuerySet[User], policy: str) -> QuerySet[User]:
    """People annotated with ``has_app`` (confirmed TOTP), ``codes_left`` and ``required`` (one query)."""
    tokens = (
        StaticToken.objects.filter(device__user=OuterRef("pk"), device__confirmed=True)
        .order_by()
        .values("device__user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        codes_left=Coalesce(Subquery(tokens), 0),
        required=(
            ExpressionWrapper(required_q(policy), output_field=BooleanField())
            if policy == LEADERS
            else Value(policy == ALL)
        ),
    )

"""Reads for the core pages, already limited to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from eoffice.models import Department, Notification, User
from eoffice.search import fold


def staff_list(*, user: User, q: str = "", department: Department | None = None) -> QuerySet[User]:
    """Active staff of the user's own agency; nobody else's."""
    qs = User.objects.filter(agency_id=user.agency_id, is_active=True).select_related("department")
    if department is not None:
        qs = qs.filter(Q(department=department) | Q(department__parent=department))
    if q:
        folded = fold(q)
        qs = qs.filter(
            Q(full_name__icontains=q)
            | Q(search_name__contains=folded)
            | Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(position__icontains=q)
        )
    return qs.order_by("department__order", "department__name", "full_name")


def staff_get(*, user: User, pk: int) -> User:
    return get_object_or_404(
        User.objects.select_related("agency", "department"), pk=pk, agency_id=user.agency_id, is_active=True
    )


def department_list(*, user: User) -> QuerySet[Department]:
    return (
        Department.objects.filter(agency_id=user.agency_id, is_active=True)
        .select_related("parent")
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
        .order_by("order", "name")
    )


def department_get(*, user: User, pk: int) -> Department:
    return get_object_or_404(
        Department.objects.select_related("agency", "parent"), pk=pk, agency_id=user.agency_id
    )


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(user: User) -> int:
    """Unread notifications of ``user``, counted once per request (the bell, the menu badge and the pages
    all ask): the figure is kept on the user object, which lives as long as the request."""
    if not hasattr(user, "_unread_notifications"):
        user._unread_notifications = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return user._unread_notifications


def notification_get(*, user: User, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=user)

"""Notification preferences: which kinds also go to the person's email."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eoffice.models import NotificationPreference, User
from eoffice.notifications import KINDS


def notification_preferences_set(*, user: User, email_kinds: Iterable[str]) -> None:
    """Save, for every registered kind, whether it also goes to the person's email."""
    wanted = set(email_kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValidationError(_("Loại thông báo không hợp lệ."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        for code in KINDS:
            NotificationPreference.objects.update_or_create(
                user=user, kind=code, defaults={"email": code in wanted}
            )

"""The end of the path: the result (or the refusal) handed to the applicant, and their rating."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from onestop.models import Dossier, DossierState
from onestop.services.core import finish_step, lock_dossier, transition_locked


def dossier_hand_over(
    *,
    dossier: Dossier,
    by: User,
    returned_to: str,
    note: str = "",
    rating: int | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Dossier:
    """The counter hands the result (or the refusal) to the applicant; they may rate the service at once."""
    if not returned_to.strip():
        raise ValidationError(_("Vui lòng ghi tên người nhận kết quả."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.RETURNING)
        transition_locked(locked, "hand_over", by, comment=note.strip(), at=now)
        now = now or timezone.now()
        locked.returned_at = now
        locked.returned_to = returned_to.strip()[:255]
        locked.save()
        finish_step(dossier=locked, now=now)
        if rating is not None:
            _rate(locked, rating=rating, comment=comment, now=now)
    return locked


def _rate(dossier: Dossier, *, rating: int, comment: str, now=None) -> None:
    if dossier.state != DossierState.RETURNED:
        raise ValidationError(_("Chỉ đánh giá được khi đã nhận kết quả."))
    if dossier.rating is not None:
        raise ValidationError(_("Hồ sơ này đã được đánh giá."))
    if rating not in range(1, 6):
        raise ValidationError(_("Mức độ hài lòng từ 1 đến 5."))
    dossier.rating = rating
    dossier.rating_comment = comment.strip()[:2000]
    dossier.rated_at = now or timezone.now()
    dossier.save(update_fields=["rating", "rating_comment", "rated_at"])


def dossier_rate(*, dossier: Dossier, rating: int, comment: str = "") -> Dossier:
    """The applicant's satisfaction (public tracking page or the counter screen), once per dossier."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=None)
        _rate(locked, rating=rating, comment=comment)
    return locked

"""Writes of the search page: saved searches (each person's own)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from documents.models import SavedSearch


def saved_search_create(*, user, name: str, query: str) -> SavedSearch:
    """Keep ``query`` (the search page's query string) under ``name``; names are unique per person."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Vui lòng đặt tên cho tìm kiếm.")})
    if not query:
        raise ValidationError({"query": _("Chưa có điều kiện tìm kiếm nào để lưu.")})
    duplicate = ValidationError(
        {"name": _("Bạn đã có một tìm kiếm đã lưu tên “%(name)s”; hãy chọn tên khác.") % {"name": name}}
    )
    if SavedSearch.objects.filter(user=user, name=name).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(user=user, name=name, query=query)
    except IntegrityError as exc:  # the same name saved at the same moment
        raise duplicate from exc


def saved_search_delete(*, saved: SavedSearch, user) -> None:
    if saved.user_id != user.pk:
        raise ValidationError(_("Đây không phải tìm kiếm của bạn."))
    saved.delete()

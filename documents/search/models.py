"""Saved searches: a search a person keeps to run again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """A search a person keeps to run again: its name and the query string of the search page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("tên tìm kiếm"), max_length=100)
    query = models.CharField(_("điều kiện tìm kiếm"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tìm kiếm đã lưu")
        verbose_name_plural = _("tìm kiếm đã lưu")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedsearch_unique_name")]

    def __str__(self) -> str:
        return self.name

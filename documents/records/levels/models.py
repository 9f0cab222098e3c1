"""An information level (cấp độ thông tin) defined by an agency's administrator."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency, Department


class InformationLevel(models.Model):
    """A named level (e.g. "Hồ sơ nhân sự", "Hồ sơ thanh tra"): the case files given it are read only by
    its members (people, units, groups) and by those the law already entitles (the owner, the archivist
    for archived files). ``rank`` orders the levels in lists; a higher rank is more restricted."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("tên cấp độ"), max_length=150)
    rank = models.PositiveSmallIntegerField(_("mức"), default=1)
    description = models.TextField(_("mô tả"), blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người được xem"), blank=True, related_name="+"
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("đơn vị được xem"), blank=True, related_name="+"
    )
    groups = models.ManyToManyField(Group, verbose_name=_("nhóm được xem"), blank=True, related_name="+")
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cấp độ thông tin")
        verbose_name_plural = _("cấp độ thông tin")
        ordering = ["agency", "rank", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="infolevel_unique_name")]

    def __str__(self) -> str:
        return self.name

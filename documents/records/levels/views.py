"""The administrator's information levels page, and a case file's level (given or removed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.records.access import visible_case_files
from documents.records.levels import access, forms, services
from documents.records.levels.models import InformationLevel
from documents.records.models import CaseFile
from eoffice.actions import error_text, form_error_text
from eoffice.params import int_param


def _count(manager, level_field: str) -> Coalesce:
    """The rows of ``manager`` that point at the level, as a subquery each (four counted joins would
    multiply: files × people × units × groups rows per level)."""
    rows = (
        manager.filter(**{f"{level_field}_id": OuterRef("pk")})
        .order_by()
        .values(f"{level_field}_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


@login_required
def level_list(request):
    user = request.user
    if not access.can_manage_levels(user):
        raise PermissionDenied
    editing = None
    pk = int_param(request.GET.get("edit") or request.POST.get("pk"), min_value=1)
    if pk:
        editing = InformationLevel.objects.filter(pk=pk, agency_id=user.agency_id).first()
    initial = None
    if editing is not None:
        initial = {
            "name": editing.name,
            "rank": editing.rank,
            "description": editing.description,
            "users": list(editing.users.all()),
            "departments": list(editing.departments.all()),
            "groups": list(editing.groups.all()),
            "is_active": editing.is_active,
        }
    form = forms.LevelForm(request.POST or None, initial=initial, agency_id=user.agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            level = services.level_save(by=user, pk=editing.pk if editing else None, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã lưu cấp độ “%(name)s”.") % {"name": level.name})
            return redirect("documents:info_levels")
    levels = (
        InformationLevel.objects.filter(agency_id=user.agency_id)
        .annotate(
            n_files=_count(CaseFile.objects, "info_level"),
            n_users=_count(InformationLevel.users.through.objects, "informationlevel"),
            n_departments=_count(InformationLevel.departments.through.objects, "informationlevel"),
            n_groups=_count(InformationLevel.groups.through.objects, "informationlevel"),
        )
        .order_by("rank", "name")
    )
    return render(
        request,
        "documents/records/levels/list.html",
        {"levels": levels, "form": form, "editing": editing},
    )


@login_required
@require_POST
def casefile_level(request, pk: int):
    user = request.user
    form = forms.CaseFileLevelForm(request.POST, agency_id=user.agency_id or 0)
    url = reverse("documents:casefile_detail", args=[pk])
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(url)
    level = form.cleaned_data["level"]
    try:
        services.casefile_set_level(
            by=user, case_file_pk=pk, level_pk=level.pk if level else None, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied:
        messages.error(request, _("Bạn không có quyền đổi cấp độ thông tin của hồ sơ này."))
    else:
        if not visible_case_files(user).filter(pk=pk).exists():
            # the person with authority is not a member of the level: the file's page is closed to them now
            messages.success(
                request,
                _(
                    "Đã cập nhật cấp độ thông tin của hồ sơ. Bạn không thuộc cấp độ này nên không còn xem "
                    "được hồ sơ; quản trị cơ quan có thể thêm bạn vào cấp độ ở trang Cấp độ thông tin hồ sơ."
                ),
            )
            return redirect("documents:casefile_list")
        messages.success(request, _("Đã cập nhật cấp độ thông tin của hồ sơ."))
    return redirect(url)


def panel(user, case_file) -> dict | None:
    """The case file page's level card: the form for a person with authority, else None."""
    if not access.can_set_level(user, case_file):
        return None
    return {
        "form": forms.CaseFileLevelForm(
            initial={"level": case_file.info_level_id}, agency_id=case_file.agency_id, auto_id="id_level_%s"
        )
    }

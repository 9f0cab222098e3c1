"""The file-plan pages: the agency's plans by year, a plan with its headings, files and the case files
opened from them, its printed PDF; the office's drafting (headings, files, numbering, copy forward), the
submission of the decision, and "Mở hồ sơ" from an approved plan. Thin: each view calls one service."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents.records.models import FilePlan
from documents.records.plan import approval, forms, pdf, rules, selectors, services
from eoffice.actions import Action, ActionSet, error_text, service_action
from eoffice.params import int_param

FORM_TEMPLATE = "documents/records/plan/form.html"


def _apply_errors(form, exc: ValidationError | PermissionDenied) -> None:
    """A service's refusal on the form: field errors where the field is shown, the rest on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error_text(exc))


def _create(request, form):
    """The office's new draft: empty, or copied forward from the year before (``mode=copy``)."""
    year = form.cleaned_data["year"]
    try:
        if request.POST.get("mode") == "copy":
            return services.plan_copy_forward(by=request.user, year=year)
        return services.plan_create(by=request.user, year=year, numbering=form.cleaned_data["numbering"])
    except (ValidationError, PermissionDenied) as exc:
        _apply_errors(form, exc)
        return None


@login_required
def fileplan_list(request):
    if request.method == "POST" and not rules.can_draft(request.user):
        raise PermissionDenied(_("Chỉ văn thư, quản trị cơ quan soạn danh mục hồ sơ."))
    plans = list(selectors.plan_list(user=request.user))
    latest = plans[0].year if plans else None
    form = forms.PlanCreateForm(request.POST or None, initial={"year": latest + 1} if latest else None)
    if request.method == "POST" and form.is_valid():
        plan = _create(request, form)
        if plan is not None:
            messages.success(request, _("Đã tạo dự thảo danh mục hồ sơ năm %(year)s.") % {"year": plan.year})
            return redirect(plan)
    can_draft = rules.can_draft(request.user)
    context = {
        "plans": plans,
        "form": form,
        "can_draft": can_draft,
        # copy forward: the year after the latest plan, which has none yet
        "copy_from": latest if can_draft and latest else None,
        "copy_to": latest + 1 if latest else None,
    }
    return render(request, "documents/records/plan/list.html", context)


@login_required
def fileplan_detail(request, pk: int):
    plan = selectors.plan_access(user=request.user, pk=pk)
    tree = selectors.plan_page(user=request.user, plan=plan)
    editable = rules.can_edit(request.user, plan)
    context = {
        "plan": plan,
        "layout": tree,
        "counts": tree.counts,
        "editable": editable,
        "can_draft": rules.can_draft(request.user, plan.agency_id),
        "history": selectors.plan_history(plan=plan),
        "numbering_form": forms.NumberingForm(initial={"numbering": plan.numbering}) if editable else None,
        "submit_form": forms.SubmitForm(plan=plan, prefix="s") if editable and tree.entries else None,
        "withdraw_form": (
            forms.WithdrawForm(prefix="w")
            if plan.status == FilePlan.Status.SUBMITTED and rules.can_draft(request.user, plan.agency_id)
            else None
        ),
        "openable": {
            e.pk for e in tree.entries if not e.files and rules.can_open_file(request.user, e, plan)
        },
    }
    return render(request, "documents/records/plan/detail.html", context)


@login_required
def fileplan_pdf(request, pk: int):
    plan = selectors.plan_access(user=request.user, pk=pk)
    response = HttpResponse(pdf.plan_pdf(plan=plan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="danh-muc-ho-so-{plan.year}.pdf"'
    return response


def _redirect_to(plan: FilePlan, anchor: str = ""):
    return redirect(reverse("documents:fileplan_detail", args=[plan.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
def fileplan_heading_add(request, pk: int):
    plan = selectors.plan_access(user=request.user, pk=pk)
    form = forms.HeadingForm(request.POST or None, plan=plan, prefix="h")
    if request.method == "POST" and form.is_valid():
        try:
            heading = services.heading_save(by=request.user, plan=plan, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm đề mục “%(title)s”.") % {"title": heading.title})
            return _redirect_to(plan, f"h{heading.pk}")
    return render(request, FORM_TEMPLATE, {"plan": plan, "form": form, "title": _("Thêm đề mục")})


@login_required
def fileplan_heading_edit(request, pk: int):
    heading = selectors.heading_access(user=request.user, pk=pk)
    plan = heading.plan
    initial = {
        "title": heading.title,
        "parent": heading.parent_id,
        "abbreviation": heading.abbreviation,
        "department": heading.department_id,
    }
    form = forms.HeadingForm(request.POST or None, plan=plan, exclude=heading.pk, prefix="h", initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.heading_save(by=request.user, plan=plan, heading=heading, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu đề mục."))
            return _redirect_to(plan, f"h{heading.pk}")
    context = {
        "plan": plan,
        "form": form,
        "title": _("Sửa đề mục"),
        "delete_url": reverse("documents:fileplan_heading_delete", args=[heading.pk]),
        "delete_label": _("Xóa đề mục"),
        "delete_confirm": _("Xóa đề mục này? Đề mục phải không còn đề mục nhỏ và hồ sơ."),
    }
    return render(request, FORM_TEMPLATE, context)


@login_required
def fileplan_entry_add(request, pk: int):
    plan = selectors.plan_access(user=request.user, pk=pk)
    initial = (
        {"heading": request.GET.get("heading")} if int_param(request.GET.get("heading")) is not None else None
    )
    form = forms.EntryForm(request.POST or None, plan=plan, prefix="e", initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_save(by=request.user, plan=plan, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm hồ sơ %(code)s.") % {"code": entry.code})
            return _redirect_to(plan, f"e{entry.pk}")
    return render(request, FORM_TEMPLATE, {"plan": plan, "form": form, "title": _("Thêm hồ sơ vào danh mục")})


@login_required
def fileplan_entry_edit(request, pk: int):
    entry = selectors.entry_access(user=request.user, pk=pk)
    plan = entry.plan
    initial = {
        "heading": entry.heading_id,
        "title": entry.title,
        "retention": entry.retention,
        "department": entry.department_id,
        "responsible": entry.responsible_id,
        "note": entry.note,
    }
    form = forms.EntryForm(request.POST or None, plan=plan, prefix="e", initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_save(by=request.user, plan=plan, entry=entry, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu hồ sơ."))
            return _redirect_to(plan, f"e{entry.pk}")
    context = {
        "plan": plan,
        "form": form,
        "title": _("Sửa hồ sơ %(code)s") % {"code": entry.code},
        "delete_url": reverse("documents:fileplan_entry_delete", args=[entry.pk]),
        "delete_label": _("Xóa khỏi danh mục"),
        "delete_confirm": _("Xóa hồ sơ này khỏi danh mục? Các hồ sơ sau được đánh số lại."),
    }
    return render(request, FORM_TEMPLATE, context)


@login_required
@require_POST
def fileplan_submit(request, pk: int):
    plan = selectors.plan_access(user=request.user, pk=pk)
    form = forms.SubmitForm(request.POST, plan=plan, prefix="s")
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn người ký quyết định là lãnh đạo của cơ quan."))
        return _redirect_to(plan)
    try:
        plan = approval.plan_submit(by=request.user, plan=plan, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return _redirect_to(plan)
    messages.success(
        request,
        _(
            "Đã soạn dự thảo quyết định ban hành danh mục. "
            "Trình duyệt, ký và phát hành quyết định ở trang văn bản đi."
        ),
    )
    return redirect(plan.decision)


@login_required
@require_POST
def fileplan_entry_open(request, pk: int):
    entry = selectors.entry_access(user=request.user, pk=pk)
    try:
        case_file = approval.entry_open_file(by=request.user, entry=entry)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return _redirect_to(entry.plan, f"e{entry.pk}")
    messages.success(request, _("Đã mở hồ sơ %(code)s.") % {"code": case_file.code})
    return redirect(case_file)


# --- the plan's POST actions (eoffice.actions): access helper, form, one service, message, back to the plan


def _plan_url(plan: FilePlan, anchor: str = "") -> str:
    return reverse("documents:fileplan_detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


def _deleted(service, text: str, *, record: str, label: str):
    """Delete a heading or a planned file; the message names it (read before it goes)."""

    def run(obj, user, form) -> str:
        name = getattr(obj, label)
        service(by=user, **{record: obj})
        return text % {label: name}

    return run


def _row_actions(*, record: str, access, delete, deleted: str, label: str, move, moved: str, anchor: str):
    """The ↑/↓ and the delete of a row of the plan (a heading or a planned file), back to the row."""
    return ActionSet(
        access=access,
        url=lambda row, action, **kw: reverse(f"documents:fileplan_{record}_{action.key}", args=[row.pk]),
        redirect_to=lambda row: _plan_url(row.plan, f"{anchor}{row.pk}"),
        actions=[
            Action("delete", run=_deleted(delete, deleted, record=record, label=label)),
            service_action(
                "move",
                move,
                record=record,
                computed={"up": lambda data: data["direction"] != "down"},
                message=moved,
                form=forms.DirectionForm,
                prefix="",
            ),
        ],
    )


PLAN_ACTIONS = ActionSet(
    access=selectors.plan_access,
    url=lambda plan, action, **kw: reverse(f"documents:fileplan_{action.key}", args=[plan.pk]),
    actions=[
        service_action(
            "numbering",
            services.plan_set_numbering,
            record="plan",
            fields=("numbering",),
            message=gettext_lazy("Đã đánh số lại các hồ sơ."),
            form=forms.NumberingForm,
            prefix="",
        ),
        service_action(
            "withdraw",
            approval.plan_withdraw,
            record="plan",
            fields=("reason",),
            message=gettext_lazy("Đã rút lại, danh mục trở về dự thảo."),
            form=forms.WithdrawForm,
            prefix="w",
        ),
    ],
)

HEADING_ACTIONS = _row_actions(
    record="heading",
    access=selectors.heading_access,
    delete=services.heading_delete,
    deleted=gettext_lazy("Đã xóa đề mục “%(title)s”."),
    label="title",
    move=services.heading_move,
    moved=gettext_lazy("Đã chuyển đề mục."),
    anchor="h",
)
ENTRY_ACTIONS = _row_actions(
    record="entry",
    access=selectors.entry_access,
    delete=services.entry_delete,
    deleted=gettext_lazy("Đã xóa hồ sơ %(code)s khỏi danh mục."),
    label="code",
    move=services.entry_move,
    moved=gettext_lazy("Đã chuyển hồ sơ và đánh số lại."),
    anchor="e",
)

fileplan_numbering = partial(PLAN_ACTIONS.view, action="numbering")
fileplan_withdraw = partial(PLAN_ACTIONS.view, action="withdraw")
fileplan_heading_delete = partial(HEADING_ACTIONS.view, action="delete")
fileplan_heading_move = partial(HEADING_ACTIONS.view, action="move")
fileplan_entry_delete = partial(ENTRY_ACTIONS.view, action="delete")
fileplan_entry_move = partial(ENTRY_ACTIONS.view, action="move")

"""Case file pages: the list (filters, open a file, "Hồ sơ của tôi"), a file with its items (Mục lục layout),
the item actions (open, move, remove, upload, sort), close/reopen, and "file this" from a record's page."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents.records import access, forms, kinds, selectors
from documents.records.export.import_views import can_import, pdfa_links
from documents.records.levels.views import panel as level_panel
from documents.records.models import CaseFile
from documents.records.services import files as services
from eoffice.actions import Action, ActionSet, error_text, form_error_text, service_action
from eoffice.files import serve_field_file
from eoffice.params import int_param
from workflow.selectors import history_for

REFUSED = (ValidationError, PermissionDenied)
OUTPUTS = (
    ("casefile_toc_pdf", "Mục lục văn bản (PDF)"),
    ("casefile_export_pdf", "Toàn bộ hồ sơ (PDF)"),
    ("casefile_export_zip", "Gói hồ sơ (ZIP + XML)"),
)


def _outputs(case_file: CaseFile) -> list[tuple[str, str]]:
    links = []
    for name, label in OUTPUTS:
        try:
            links.append((reverse(f"documents:{name}", args=[case_file.pk]), _(label)))
        except NoReverseMatch:
            continue
    return links + pdfa_links(case_file)


@login_required
def casefile_list(request):
    user = request.user
    year = int_param(request.GET.get("year"), min_value=1, max_value=9999)
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    department_id = int_param(request.GET.get("unit"), min_value=1)
    form = forms.CaseFileOpenForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case_file = services.case_file_open(by=user, **form.cleaned_data)
        except REFUSED as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã mở hồ sơ %(file)s.") % {"file": case_file})
            return redirect(case_file)
    files = selectors.case_file_list(
        user=user, year=year, status=status, mine=mine, department_id=department_id
    )
    return render(
        request,
        "documents/records/list.html",
        {
            "files": files,
            "form": form,
            "year": year,
            "status": status,
            "mine": mine,
            "unit": department_id,
            "years": selectors.years_of(user=user),
            "statuses": CaseFile.Status.choices,
            "units": form.fields["department"].queryset,
            "stats": selectors.my_statistics(user=user),
            "can_import": can_import(user),
        },
    )


def _archive_links(user, case_file: CaseFile) -> dict:
    """The case file's links to the agency archive: "Nộp lưu" for a closed file the person may hand over,
    the transfer that holds it when the person may see that transfer (one query, only when it has one)."""
    from documents.records.archive import selectors as archive_selectors
    from documents.records.archive import services as archive_services

    links = {"transfer_url": "", "transfer_create_url": ""}
    if (
        case_file.status == CaseFile.Status.CLOSED
        and not case_file.transfer_id
        and archive_services.may_transfer(user, case_file)
    ):
        links["transfer_create_url"] = reverse("documents:transfer_create")
    if case_file.transfer_id and (
        archive_selectors.visible_transfers(user).filter(pk=case_file.transfer_id).exists()
    ):
        links["transfer_url"] = reverse("documents:transfer_detail", args=[case_file.transfer_id])
    return links


def _borrow_instead(request, pk: int):
    """An archived file of the person's agency they may not read (the catalogue shows it to everyone of the
    agency): still a 404, as any file they may not see, but a page that says so and links the borrow request
    (``documents:borrow_create``); ``None`` otherwise (the plain 404)."""
    from documents.records.archive import selectors as archive_selectors

    case_file = archive_selectors.catalogue(request.user).filter(pk=pk).first()
    if case_file is None:
        return None
    return render(request, "documents/records/borrow_needed.html", {"case_file": case_file}, status=404)


@login_required
def casefile_detail(request, pk: int):
    user = request.user
    try:
        case_file = access.case_file_access(user=user, pk=pk)  # the view is logged (III.6a)
    except Http404:
        borrow = _borrow_instead(request, pk)
        if borrow is None:
            raise
        return borrow
    lock = access.lock_entry(case_file)
    can_manage = access.can_manage(user, case_file)
    items = selectors.case_file_items(user=user, case_file=case_file)
    dates = [row.issued_date or row.sort_date.date() for row in items]
    return render(
        request,
        "documents/records/detail.html",
        {
            "case_file": case_file,
            "items": items,
            "start_date": min(dates, default=None),
            "end_date": max(dates, default=None),
            "can_manage": can_manage,
            "can_reopen": access.can_reopen(user, case_file),
            "lock": lock,
            "can_lock": access.can_lock(user, case_file),
            "lock_form": forms.LockForm(auto_id="id_lock_%s") if lock is None else None,
            "paper_form": forms.PaperForm() if can_manage else None,
            "edit_form": forms.CaseFileEditForm(
                initial={"title": case_file.title, "description": case_file.description},
                auto_id="id_edit_%s",  # the paper form has a "description" too: one id each
            )
            if can_manage
            else None,
            "outputs": _outputs(case_file),
            "level_panel": level_panel(user, case_file),
            "entries": list(history_for(record=case_file)),
            **_archive_links(user, case_file),
        },
    )


@login_required
def casefile_item_open(request, pk: int, item_pk: int):
    """A linked record: its own page (its own access applies); a paper: served after the file's check."""
    case_file = access.case_file_access(user=request.user, pk=pk, audit=None)
    item = selectors.item_of(case_file=case_file, pk=item_pk)
    if item.kind == kinds.PAPER:
        if not item.file:
            raise Http404
        # every download of a paper of the file is logged, before the archive as after it (III.6l)
        access.record_access(user=request.user, kind="casefile", object_id=case_file.pk, action="download")
        return serve_field_file(item.file, filename=item.file_name or None, mark_for=request.user)
    try:
        fileable = kinds.get(item.kind)
    except KeyError as exc:
        raise Http404 from exc
    record = fileable.access(request.user, item.object_id)
    return redirect(fileable.url(record))


def _case_file(*, user, pk: int) -> CaseFile:
    return access.case_file_access(user=user, pk=pk, audit=None)  # an action is logged by its service


def _item_run(case_file: CaseFile, user, form, *, item_pk: int) -> str:
    item = selectors.item_of(case_file=case_file, pk=item_pk)
    op = form.cleaned_data["op"]
    if op == "remove":
        services.case_file_remove_item(case_file=case_file, item=item, by=user)
        return _("Đã bỏ tài liệu khỏi hồ sơ.")
    services.case_file_move_item(case_file=case_file, item=item, up=op == "up", by=user)
    return _("Đã đổi thứ tự.")


def _paper_run(case_file: CaseFile, user, form) -> str:
    services.case_file_add_paper(
        case_file=case_file,
        upload=form.cleaned_data["file"],
        subject=form.cleaned_data["subject"],
        by=user,
        **form.metadata(),
    )
    return _("Đã thêm tài liệu vào hồ sơ.")


# The case file's POST actions (eoffice.actions): each loads the file through its access helper, validates
# its form and calls one service; a refusal or an invalid form is a message on the file's page.
CASEFILE_ACTIONS = ActionSet(
    access=_case_file,
    url=lambda case_file, action, **kw: reverse(f"documents:casefile_{action.key}", args=[case_file.pk]),
    actions=[
        Action("item_action", run=_item_run, form=forms.ItemOpForm, prefix=""),
        Action("upload", run=_paper_run, form=forms.PaperForm, prefix="", multipart=True),
        service_action(
            "sort",
            services.case_file_sort_chronologically,
            record="case_file",
            message=gettext_lazy("Đã sắp xếp văn bản theo thời gian."),
        ),
        service_action(
            "edit",
            services.case_file_update,
            record="case_file",
            fields=("title", "description"),
            message=gettext_lazy("Đã cập nhật hồ sơ."),
            form=forms.CaseFileEditForm,
            prefix="",
        ),
        service_action(
            "close", services.case_file_close, record="case_file", message=gettext_lazy("Đã kết thúc hồ sơ.")
        ),
        service_action(
            "reopen", services.case_file_reopen, record="case_file", message=gettext_lazy("Đã mở lại hồ sơ.")
        ),
        service_action(
            "lock",
            services.case_file_lock,
            record="case_file",
            fields=("reason",),
            message=gettext_lazy("Đã khóa hồ sơ."),
            form=forms.LockForm,
            prefix="",
        ),
        service_action(
            "unlock", services.case_file_unlock, record="case_file", message=gettext_lazy("Đã mở khóa hồ sơ.")
        ),
    ],
)

casefile_sort = partial(CASEFILE_ACTIONS.view, action="sort")
casefile_upload = partial(CASEFILE_ACTIONS.view, action="upload")
casefile_edit = partial(CASEFILE_ACTIONS.view, action="edit")
casefile_close = partial(CASEFILE_ACTIONS.view, action="close")
casefile_reopen = partial(CASEFILE_ACTIONS.view, action="reopen")
casefile_item_action = partial(CASEFILE_ACTIONS.view, action="item_action")


def casefile_lock(request, pk: int):
    """Khóa hồ sơ (with the reason) or, with ``op=unlock``, mở khóa: leaders and archivists (IV.1g)."""
    action = "unlock" if request.POST.get("op") == "unlock" else "lock"
    return CASEFILE_ACTIONS.view(request, pk=pk, action=action)


@login_required
@require_POST
def casefile_file_record(request):
    """“Lưu vào hồ sơ” from a record's page: POST kind, object_id, case_file; back to the page."""
    user = request.user
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = ""
    form = forms.FileRecordForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(back or "documents:casefile_list")
    case_file = form.cleaned_data["case_file"]
    try:
        services.case_file_add_record(
            case_file=case_file,
            kind=form.cleaned_data["kind"],
            object_id=form.cleaned_data["object_id"],
            by=user,
        )
    except REFUSED as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã lưu vào hồ sơ %(file)s.") % {"file": case_file})
    return redirect(back or case_file.get_absolute_url())

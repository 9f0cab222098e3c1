"""Pages of the agency archive (thin: parse, call one service or selector, render).

The archivist ("Lưu trữ cơ quan"): pending transfers and the announcement, a transfer's files with its
list and handover record, accept or return; the archived files, each with who read it and its borrowings;
borrow requests; files past their retention and the proposals for disposal. Owners, unit heads and clerks:
"Nộp lưu hồ sơ". Anybody of the agency: the catalogue of archived files and the borrow request. The head
of the agency: the proposals for disposal and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.records.archive import forms, selectors, services
from documents.records.models import Appraisal, CaseFile, Transfer
from eoffice.actions import error_text, form_error_text
from eoffice.db import page_of

PAGE_SIZE = 25


def _archivist(request) -> None:
    if not services.is_archivist(request.user):
        raise PermissionDenied


def _archive_context(request, active: str) -> dict:
    return {"archive_tab": active, "is_archivist": services.is_archivist(request.user)}


# --- the archivist's home: pending transfers, the announcement ---------------------------------------


@login_required
def archive_home(request):
    _archivist(request)
    announce = forms.AnnounceForm(agency_id=request.user.agency_id)
    return render(
        request,
        "documents/records/archive/home.html",
        {
            **_archive_context(request, "home"),
            "transfers": list(selectors.pending_transfers(request.user)),
            "recent": selectors.recent_transfers(request.user, limit=10),
            "borrow_count": selectors.pending_borrows(request.user).count(),
            "expired_count": selectors.expired_files(request.user).count(),
            "announce": announce,
        },
    )


@login_required
@require_POST
def transfer_announce(request):
    _archivist(request)
    form = forms.AnnounceForm(request.POST, agency_id=request.user.agency_id)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("documents:archive_home")
    try:
        n = services.transfer_announce(by=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã thông báo hạn nộp lưu cho %(n)d hồ sơ.") % {"n": n})
    return redirect("documents:archive_home")


# --- transfer -----------------------------------------------------------------------------------------


@login_required
def transfer_create(request):
    files = selectors.transferable_files(request.user)
    form = forms.TransferForm(request.POST or None, files=files)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_create(
                by=request.user,
                file_ids=[f.pk for f in form.cleaned_data["files"]],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã nộp lưu %(n)d hồ sơ.") % {"n": len(transfer.file_ids)})
            return redirect(transfer)
    return render(
        request,
        "documents/records/archive/transfer_create.html",
        {
            "form": form,
            "files": list(files),
            "selected": request.POST.getlist("files"),
            "transfers": selectors.recent_transfers(request.user),
        },
    )


@login_required
def transfer_detail(request, pk: int):
    transfer = selectors.transfer_access(user=request.user, pk=pk)
    may_decide = services.is_archivist(request.user) and transfer.status == Transfer.Status.SUBMITTED
    return render(
        request,
        "documents/records/archive/transfer_detail.html",
        {
            **_archive_context(request, "home"),
            "transfer": transfer,
            "files": selectors.transfer_files(transfer),
            "may_decide": may_decide,
            "accept_form": forms.DecisionNoteForm(prefix="accept"),
            "return_form": forms.ReturnForm(prefix="return"),
        },
    )


@login_required
@require_POST
def transfer_accept(request, pk: int):
    transfer = selectors.transfer_access(user=request.user, pk=pk)
    form = forms.DecisionNoteForm(request.POST, prefix="accept")
    if form.is_valid():
        try:
            services.transfer_accept(transfer=transfer, by=request.user, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Đã tiếp nhận hồ sơ vào lưu trữ cơ quan."))
    else:
        messages.error(request, form_error_text(form))
    return redirect(transfer)


@login_required
@require_POST
def transfer_return(request, pk: int):
    transfer = selectors.transfer_access(user=request.user, pk=pk)
    form = forms.ReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            services.transfer_return(transfer=transfer, by=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Đã trả lại hồ sơ cho đơn vị nộp lưu."))
    else:
        messages.error(request, form_error_text(form))
    return redirect(transfer)


# --- archived files -------------------------------------------------------------------------------------


@login_required
def archive_files(request):
    _archivist(request)
    form = forms.ArchiveSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.archived_files(
        request.user,
        q=(filters.get("q") or "").strip(),
        year=filters.get("year"),
        retention=filters.get("retention") or "",
        status=filters.get("status") or CaseFile.Status.ARCHIVED,
    )
    return render(
        request,
        "documents/records/archive/files.html",
        {
            **_archive_context(request, "files"),
            "form": form,
            "page": page_of(qs, request.GET.get("page"), PAGE_SIZE),
        },
    )


@login_required
def archive_file(request, pk: int):
    _archivist(request)
    case_file = selectors.archive_file(user=request.user, pk=pk)
    return render(
        request,
        "documents/records/archive/file.html",
        {
            **_archive_context(request, "files"),
            "case_file": case_file,
            "events": page_of(selectors.access_log(case_file), request.GET.get("page"), PAGE_SIZE),
            "borrows": selectors.file_borrows(case_file),
        },
    )


# --- borrowing ------------------------------------------------------------------------------------------


@login_required
def archive_catalogue(request):
    q = (request.GET.get("q") or "").strip()[:200]
    return render(
        request,
        "documents/records/archive/catalogue.html",
        {
            **_archive_context(request, "catalogue"),
            "q": q,
            "page": page_of(selectors.catalogue(request.user, q=q), request.GET.get("page"), PAGE_SIZE),
            "mine": selectors.my_borrows(request.user),
        },
    )


@login_required
def borrow_create(request, pk: int):
    case_file = selectors.borrowable_file(user=request.user, pk=pk)
    if services.can_read_archived(request.user, case_file) or case_file.borrowed:
        return redirect(case_file)
    form = forms.BorrowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.borrow_request(case_file=case_file, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã gửi đề nghị khai thác hồ sơ tới lưu trữ cơ quan."))
            return redirect("documents:archive_catalogue")
    return render(
        request, "documents/records/archive/borrow_create.html", {"case_file": case_file, "form": form}
    )


@login_required
def archive_borrows(request):
    _archivist(request)
    pending = list(selectors.pending_borrows(request.user))
    return render(
        request,
        "documents/records/archive/borrows.html",
        {
            **_archive_context(request, "borrows"),
            "pending": [
                (b, forms.BorrowDecideForm(prefix=f"b{b.pk}", initial={"until": b.until})) for b in pending
            ],
            "recent": selectors.recent_borrows(request.user),
        },
    )


@login_required
@require_POST
def borrow_decide(request, pk: int):
    borrow = selectors.borrow_access(user=request.user, pk=pk)
    form = forms.BorrowDecideForm(request.POST, prefix=f"b{pk}")
    if form.is_valid():
        try:
            services.borrow_decide(borrow=borrow, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Đã trả lời đề nghị khai thác."))
    else:
        messages.error(request, form_error_text(form))
    return redirect("documents:archive_borrows")


# --- retention and disposal ----------------------------------------------------------------------------


@login_required
def retention_expired(request):
    _archivist(request)
    files = selectors.expired_files(request.user)
    form = forms.ProposeForm(request.POST or None, files=files)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.appraisal_propose(
                by=request.user,
                file_ids=[f.pk for f in form.cleaned_data["files"]],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã trình lãnh đạo đề nghị hủy tài liệu hết giá trị."))
            return redirect("documents:appraisal_detail", pk=appraisal.pk)
    return render(
        request,
        "documents/records/archive/expired.html",
        {**_archive_context(request, "expired"), "form": form, "files": list(files)},
    )


@login_required
def appraisal_list(request):
    if not (services.is_archivist(request.user) or services.is_leader(request.user)):
        raise PermissionDenied
    return render(
        request,
        "documents/records/archive/appraisals.html",
        {
            **_archive_context(request, "appraisals"),
            "page": page_of(selectors.visible_appraisals(request.user), request.GET.get("page"), PAGE_SIZE),
        },
    )


@login_required
def appraisal_detail(request, pk: int):
    appraisal = selectors.appraisal_access(user=request.user, pk=pk)
    items = selectors.appraisal_items(appraisal)
    may_decide = services.is_leader(request.user) and appraisal.status == Appraisal.Status.PROPOSED
    form = forms.AppraisalDecideForm(request.POST or None, items=items) if may_decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.appraisal_decide(
                    appraisal=appraisal,
                    by=request.user,
                    decision_number=form.cleaned_data["decision_number"],
                    note=form.cleaned_data["note"],
                    verdicts=form.verdicts(),
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("Đã ghi quyết định về đề nghị hủy tài liệu."))
                return redirect(reverse("documents:appraisal_detail", args=[appraisal.pk]))
    return render(
        request,
        "documents/records/archive/appraisal_detail.html",
        {**_archive_context(request, "appraisals"), "appraisal": appraisal, "items": items, "form": form},
    )

"""Downloads of the records outputs. Each view checks access first (``case_file_access``; a transfer's
``documents.records.archive.selectors.transfer_access``), builds the output, logs the read
(``eoffice.audit.record_access``) and serves the bytes; a PDF carries the print mark of
``eoffice.output.printmark``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from documents.records.access import case_file_access, visible_case_files
from documents.records.archive.selectors import transfer_access
from eoffice.audit import record_access
from eoffice.models import Department
from eoffice.output import pdfa
from eoffice.output.printmark import PrintMarkError, mark_pdf

from . import contents, package, printing

PDFA_MISSING = gettext_lazy(
    "Máy chủ chưa cài Ghostscript nên chưa tạo được bản PDF/A. Vui lòng báo quản trị hệ thống."
)


def _mark(data: bytes, user) -> bytes:
    """The copy served carries the print mark (who, when, "bản in từ hệ thống"); a merged file holding a
    PDF that cannot be marked is served as it is rather than refused."""
    try:
        return mark_pdf(data, user=user)
    except PrintMarkError:
        return data


def _download(data: bytes, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _case_file(request, pk: int, action: str):
    case_file = case_file_access(user=request.user, pk=pk, audit=None)
    record_access(user=request.user, kind="casefile", object_id=case_file.pk, action=action)
    return case_file


@login_required
@require_GET
def casefile_toc_pdf(request, pk: int):
    case_file = _case_file(request, pk, "print")
    data = _mark(printing.toc_pdf(case_file=case_file), request.user)
    return _download(
        data,
        name=package.filename(case_file, "pdf", prefix="muc-luc-van-ban"),
        content_type="application/pdf",
    )


def _wants_pdfa(request, pk: int):
    """``?pdfa=1`` asked for and Ghostscript present: True; asked for without it: a redirect saying so."""
    if request.GET.get("pdfa") != "1":
        return False
    if not pdfa.available():
        messages.error(request, PDFA_MISSING)
        return redirect("documents:casefile_detail", pk=pk)
    return True


@login_required
@require_GET
def casefile_export_pdf(request, pk: int):
    case_file = _case_file(request, pk, "export")
    wants = _wants_pdfa(request, pk)
    if wants not in (True, False):
        return wants
    data = _mark(printing.file_pdf(case_file=case_file), request.user)
    if wants:
        try:
            data = pdfa.convert(data, title=case_file.title)
        except pdfa.PdfaError:
            messages.error(request, _("Không chuyển được hồ sơ sang PDF/A. Vui lòng tải bản PDF thường."))
            return redirect("documents:casefile_detail", pk=pk)
    name = package.filename(case_file, "pdf", prefix="ho-so-pdfa" if wants else "ho-so")
    return _download(data, name=name, content_type="application/pdf")


@login_required
@require_GET
def casefile_export_zip(request, pk: int):
    case_file = _case_file(request, pk, "export")
    wants = _wants_pdfa(request, pk)
    if wants not in (True, False):
        return wants
    data = package.file_package(case_file=case_file, with_pdfa=wants)
    return _download(data, name=package.filename(case_file, "zip"), content_type="application/zip")


@login_required
@require_GET
def casefile_list_pdf(request):
    """Mục lục hồ sơ of a year (and a unit): the files of it the user may read."""
    if not request.user.agency_id:
        raise Http404  # a person outside every agency has no files to list
    raw_year = (request.GET.get("year") or "").strip()
    raw_department = (request.GET.get("department") or "").strip()
    year = (
        int(raw_year)
        if (raw_year.isascii() and raw_year.isdigit()) and 1900 <= int(raw_year) <= 9999
        else None
    )
    if raw_year and year is None:
        messages.error(request, _("Năm không hợp lệ: nhập năm bằng 4 chữ số, ví dụ 2026."))
        return redirect("documents:casefile_list")
    year = year or timezone.localdate().year
    files = visible_case_files(request.user).filter(year=year).select_related("agency")
    unit = ""
    if raw_department:
        department = (
            Department.objects.filter(pk=raw_department, agency_id=request.user.agency_id).first()
            if (raw_department.isascii() and raw_department.isdigit())
            else None
        )
        if department is None:
            messages.error(request, _("Không tìm thấy đơn vị đã chọn trong cơ quan."))
            return redirect("documents:casefile_list")
        files = files.filter(department=department)
        unit = department.name
    data = printing.files_list_pdf(
        agency=request.user.agency,
        files=files,
        year=year,
        title=printing.TITLE_LIST,
        unit=unit,
        compiler=request.user,
    )
    stem = f"muc-luc-ho-so-{year}" + (f"-{contents.slug(unit)}" if unit else "")
    return _download(_mark(data, request.user), name=f"{stem}.pdf", content_type="application/pdf")


@login_required
@require_GET
def transfer_list_pdf(request, pk: int):
    transfer = transfer_access(user=request.user, pk=pk)
    data = _mark(printing.transfer_list_pdf(transfer=transfer), request.user)
    return _download(data, name=f"muc-luc-nop-luu-{transfer.pk}.pdf", content_type="application/pdf")


@login_required
@require_GET
def transfer_record_pdf(request, pk: int):
    transfer = transfer_access(user=request.user, pk=pk)
    data = _mark(printing.transfer_record_pdf(transfer=transfer), request.user)
    return _download(data, name=f"bien-ban-giao-nhan-{transfer.pk}.pdf", content_type="application/pdf")

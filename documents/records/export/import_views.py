"""The page "Nhập gói hồ sơ": the archivist or the clerk uploads a case file package (ZIP + XML) and gets a
new case file of the agency, or the list of what is wrong with the package (nothing saved)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.output import pdfa

from . import importer

can_import = importer.can_import


def pdfa_links(case_file) -> list[tuple[str, str]]:
    """The case file page's PDF/A outputs ("kèm bản PDF/A để bảo quản dài hạn"); without Ghostscript the
    label says the server cannot make them (the link then explains it)."""
    links = [
        (
            reverse("documents:casefile_export_zip", args=[case_file.pk]) + "?pdfa=1",
            _("Gói hồ sơ kèm bản PDF/A để bảo quản dài hạn"),
        ),
        (
            reverse("documents:casefile_export_pdf", args=[case_file.pk]) + "?pdfa=1",
            _("Toàn bộ hồ sơ (PDF/A)"),
        ),
    ]
    if not pdfa.available():
        missing = _("máy chủ chưa cài Ghostscript")
        links = [(url, f"{label} ({missing})") for url, label in links]
    return links


class PackageImportForm(forms.Form):
    package = forms.FileField(
        label=gettext_lazy("Gói hồ sơ (.zip)"),
        help_text=gettext_lazy(
            "Tệp .zip gồm metadata.xml và thư mục files/, như gói hồ sơ hệ thống kết xuất. Tối đa 200 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )


@login_required
def casefile_import(request):
    if not importer.can_import(request.user):
        raise PermissionDenied(_("Chỉ văn thư hoặc lưu trữ cơ quan được nhập gói hồ sơ."))
    form = PackageImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            case_file = importer.import_package(upload=upload, by=request.user, file_name=upload.name)
        except (ValidationError, PermissionDenied) as exc:
            problems = list(getattr(exc, "messages", None) or [str(exc)])
        else:
            messages.success(
                request,
                _("Đã nhập gói hồ sơ thành hồ sơ %(file)s (%(n)d văn bản, tài liệu).")
                % {"file": case_file, "n": case_file.doc_total},
            )
            return redirect(case_file)
    return render(
        request,
        "documents/records/export/import.html",
        {"form": form, "problems": problems, "max_mb": importer.MAX_PACKAGE_BYTES // importer.MB},
    )

"""The staff pages of the one-stop module: the counter screen, the queues, the dossier page with its
actions, and the files. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from eoffice import audit
from eoffice.actions import error_text
from eoffice.db import page_of
from eoffice.files import serve_field_file
from eoffice.models import Role, User
from eoffice.params import int_param
from workflow import calendar

from . import forms, letters, records, rows, rules, selectors, services
from .actions import DOSSIER_ACTIONS
from .models import (
    COUNTER_STATES,
    PROCESSING_STATES,
    UNIT_HEAD_STATES,
    Dossier,
    DossierPaper,
    DossierState,
    OnestopConfig,
    PaperKind,
    Procedure,
)

QUEUE_TITLES = {
    "todo": gettext_lazy("Hồ sơ cần xử lý"),
    "online": gettext_lazy("Hồ sơ trực tuyến chờ tiếp nhận"),
    "handoff": gettext_lazy("Hồ sơ chờ chuyển phòng chuyên môn"),
    "returning": gettext_lazy("Hồ sơ chờ trả kết quả"),
    "supplement": gettext_lazy("Hồ sơ chờ công dân bổ sung"),
    "overdue": gettext_lazy("Hồ sơ quá hạn"),
    "open": gettext_lazy("Hồ sơ đang giải quyết"),
    "all": gettext_lazy("Tra cứu hồ sơ"),
}
TAB_LABELS = {
    "todo": gettext_lazy("Cần xử lý"),
    "online": gettext_lazy("Trực tuyến mới"),
    "handoff": gettext_lazy("Chờ chuyển"),
    "returning": gettext_lazy("Chờ trả"),
    "supplement": gettext_lazy("Chờ bổ sung"),
    "overdue": gettext_lazy("Quá hạn"),
    "open": gettext_lazy("Đang giải quyết"),
    "all": gettext_lazy("Tất cả"),
}
# The printable form of each reception outcome (01 receipt, 02 supplement request, 03 refusal).
OUTCOME_FORM = {DossierState.RECEIVED: 1, DossierState.INCOMPLETE: 2, DossierState.REFUSED: 3}


def _require_onestop(user: User) -> None:
    if not user.agency_id or not user.has_role(Role.ONESTOP_OFFICER):
        raise PermissionDenied(_("Chỉ cán bộ một cửa được tiếp nhận hồ sơ."))


def _pdf():
    """The forms module (written beside this one); None while it is missing."""
    try:
        from . import pdf
    except ImportError:
        return None
    return pdf


# ---- the counter screen ---------------------------------------------------------------------------


def _preview(procedure: Procedure | None, agency_id: int) -> dict | None:
    """The legal time and the appointment a reception now would get (nothing is written)."""
    if procedure is None:
        return None
    now = timezone.now()
    config = OnestopConfig.objects.filter(agency_id=agency_id).only("cutoff", "cutoff_scope").first()
    cutoff = rules.cutoff_for(procedure=procedure, config=config)
    start = rules.clock_start(received_at=now, cutoff=cutoff)
    return {
        "procedure": procedure,
        "start": start,
        "due": rules.appointment(procedure=procedure, start=start),
        "deferred": start > now,
        "off_hours": rules.received_off_hours(now),
        "cutoff": cutoff,
        "fee": f"{procedure.fee_amount:,}".replace(",", ".") if procedure.fee_amount else "",
    }


def _off_hours_warning() -> str:
    """A warning for the counter when now is outside working time (a day off, before opening, after close)."""
    now = timezone.localtime()
    if not rules.received_off_hours(now):
        return ""
    if not calendar.is_working_day(now.date()):
        holiday = calendar.holiday_name(now.date())
        if holiday:
            when = _("hôm nay là ngày nghỉ (%(name)s)") % {"name": holiday}
        else:
            when = _("hôm nay là ngày nghỉ")
    else:
        when = _("bây giờ là ngoài giờ làm việc")
    return _(
        "Lưu ý: %(when)s. Hồ sơ tiếp nhận lúc này được tính hạn từ đầu giờ ngày làm việc tiếp theo; "
        "hãy kiểm tra lại ngày hẹn trả trước khi tiếp nhận."
    ) % {"when": when}


def _receive_initial(request) -> dict:
    """``?procedure=`` chooses the procedure; ``?from=<dossier>`` (an applicant back with the missing papers)
    fills the applicant from that earlier dossier."""
    initial = {"procedure": request.GET.get("procedure", "")}
    source = int_param(request.GET.get("from"))
    earlier = selectors.visible(request.user).filter(pk=source).first() if source is not None else None
    if earlier is not None:
        initial.update(
            procedure=earlier.procedure_id,
            applicant_kind=earlier.applicant_kind,
            applicant_name=earlier.applicant_name,
            applicant_id_number=earlier.applicant_id_number,
            applicant_phone=earlier.applicant_phone,
            applicant_email=earlier.applicant_email,
            applicant_address=earlier.applicant_address,
            summary=earlier.summary,
        )
    return initial


@login_required
def receive(request):
    user = request.user
    _require_onestop(user)
    posted = request.method == "POST"
    form = forms.ReceiveForm(
        request.POST if posted else None, agency_id=user.agency_id, initial=_receive_initial(request)
    )
    procedure = form.selected_procedure()
    checklist = forms.PaperChecklist(procedure, request.POST if posted else None, request.FILES)
    if posted and form.is_valid() & checklist.is_valid():
        try:
            dossier = services.dossier_receive(by=user, papers=checklist.inputs(), **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, rules.received_message(dossier))
            return redirect(f"{dossier.get_absolute_url()}?new=1")
    context = {
        "form": form,
        "checklist": checklist,
        "preview": _preview(procedure, user.agency_id),
        "off_hours_warning": _off_hours_warning(),
        "has_procedures": form.fields["procedure"].queryset.exists(),
        "kind_choices": PaperKind.choices,
        "lost_files": posted and checklist.had_files,
        "extra_template_row": forms.PaperRow(prefix="extra-__i__", name="", kind="original", received=True),
    }
    return render(request, "onestop/receive.html", context)


@login_required
@require_GET
def receive_papers(request):
    """The checklist and the appointment preview of one procedure (htmx, when the procedure changes)."""
    user = request.user
    _require_onestop(user)
    pk = int_param(request.GET.get("procedure"))
    procedure = forms.procedures_of(user.agency_id).filter(pk=pk).first() if pk is not None else None
    context = {
        "checklist": forms.PaperChecklist(procedure),
        "preview": _preview(procedure, user.agency_id),
        "kind_choices": PaperKind.choices,
        "oob": True,
    }
    return render(request, "onestop/_receive_papers.html", context)


# ---- lists ----------------------------------------------------------------------------------------


def _tabs(user: User, current: str) -> list[dict]:
    onestop = user.has_role(Role.ONESTOP_OFFICER)
    keys = ["todo"]
    if onestop:
        keys += ["online", "handoff", "returning"]
    if onestop or user.has_role(Role.LEADER):
        keys.append("supplement")
    keys += ["overdue", "open", "all"]
    counted = tuple(k for k in keys if k not in ("open", "all"))
    counts = selectors.queue_counts(user, counted)
    tabs = []
    for key in keys:
        url = reverse("onestop:list") if key == "all" else reverse("onestop:queue", args=[key])
        tabs.append(
            {
                "key": key,
                "label": TAB_LABELS[key],
                "url": url,
                "active": key == current,
                "count": counts.get(key, 0),
                "alert": key == "overdue",
            }
        )
    return tabs


@login_required
def dossier_list(request, queue: str = "all"):
    if queue not in selectors.QUEUES:
        raise Http404
    user = request.user
    form = forms.FilterForm(request.GET or None, agency_id=user.agency_id)
    qs = form.apply(selectors.queue(user, queue)).select_related(
        "procedure", "procedure__field", "holder", "department"
    )
    if queue in ("overdue", "open", "todo", "supplement"):
        qs = qs.order_by("due_at", "-submitted_at", "-id")
    page = page_of(qs, request.GET.get("page"), selectors.PAGE_SIZE)
    for dossier in page.object_list:
        dossier.holder_label = _holder_label(dossier)
    context = {
        "page": page,
        "rows": rows.dossier_rows(page.object_list),
        "filters_key": _unbound_filters_key(form),
        "form": form,
        "queue": queue,
        "title": QUEUE_TITLES[queue],
        "tabs": _tabs(user, queue),
        "can_receive": user.has_role(Role.ONESTOP_OFFICER),
        "filtered": form.is_bound and form.has_changed(),
    }
    return render(request, "onestop/list.html", context)


# ---- the dossier page -----------------------------------------------------------------------------


def _span(seconds: int) -> str:
    """Working time in words: "2,5 ngày làm việc", "3 giờ làm việc", "40 phút"."""
    per_day = calendar.seconds_per_day()
    if seconds >= per_day:
        return _("%(n)s ngày làm việc") % {"n": floatformat(seconds / per_day, -1)}
    if seconds >= 3600:
        return _("%(n)s giờ làm việc") % {"n": floatformat(seconds / 3600, -1)}
    return _("%(n)s phút") % {"n": max(1, math.ceil(seconds / 60))}


def _clock(dossier: Dossier) -> dict | None:
    """The appointment's countdown: running, due soon, overdue, paused, or the timing once resolved."""
    if dossier.due_at is None:
        return None
    now = timezone.now()
    if dossier.is_paused:
        left = calendar.working_seconds_between(dossier.paused_at, dossier.due_at)
        return {"tone": "paused", "text": _("Tạm dừng, còn %(left)s") % {"left": _span(left)}}
    if dossier.state in PROCESSING_STATES:
        if now > dossier.due_at:
            late = calendar.working_seconds_between(dossier.due_at, now)
            if late < 60:
                return {"tone": "overdue", "text": _("Quá hạn")}
            return {"tone": "overdue", "text": _("Quá hạn %(late)s") % {"late": _span(late)}}
        left = calendar.working_seconds_between(now, dossier.due_at)
        tone = "duesoon" if left < calendar.seconds_per_day() else "ontime"
        return {"tone": tone, "text": _("Còn %(left)s") % {"left": _span(left)}}
    if dossier.timing:
        tone = {"early": "done", "on_time": "ontime", "late": "overdue"}.get(dossier.timing, "muted")
        return {"tone": tone, "text": dossier.get_timing_display()}
    return None


def _unbound_filters_key(form: forms.FilterForm) -> str:
    """For the empty filter form, what makes it differ between agencies: its fields of procedures, read
    once (one query, as the form itself would) and given to the form as its choices, so that the rendered
    form can be kept under them (``onestop/list.html``). "" for a form with values."""
    if form.is_bound:
        return ""
    field = form.fields["field"]
    choices = [(value.pk, field.label_from_instance(value)) for value in field.queryset]
    field.choices = [("", field.empty_label), *choices]
    return repr(choices)


def _holder_label(dossier: Dossier) -> str:
    if dossier.holder_id:
        return dossier.holder.full_name
    if dossier.department_id and dossier.state in UNIT_HEAD_STATES:
        return dossier.department.name
    if dossier.state in COUNTER_STATES:
        return _("Bộ phận một cửa")
    if dossier.state == DossierState.SUPPLEMENT:
        return _("Người nộp hồ sơ")
    return ""


@login_required
def detail(request, pk: int):
    user = request.user
    dossier = selectors.dossier_access(user=user, pk=pk)
    audit.record_access(user=user, kind="dossier", object_id=dossier.pk)
    module = _pdf()
    available_forms = module.available_forms(dossier) if module else []
    new_form = OUTCOME_FORM.get(dossier.state) if request.GET.get("new") == "1" else None
    request_obj = dossier.sign_request
    context = {
        "d": dossier,
        "papers": list(dossier.papers.all()),
        "steps": list(selectors.steps(dossier)),
        "supplements": list(dossier.supplements.select_related("requested_by")),
        "forms_list": available_forms,
        "new_form": new_form,
        "new_form_title": dict(available_forms).get(new_form, "") if new_form else "",
        "clock": _clock(dossier),
        "actions": DOSSIER_ACTIONS.page(dossier, user),
        "holder_label": _holder_label(dossier),
        "is_signer": dossier.state == DossierState.SIGNING
        and request_obj is not None
        and request_obj.signer_id == user.pk,
        "rating_choices": forms.RATING_CHOICES,
        "can_receive_again": dossier.state == DossierState.INCOMPLETE
        and user.agency_id == dossier.agency_id
        and user.has_role(Role.ONESTOP_OFFICER),
        "ft": records.file_this(user=user, dossier=dossier),
        "letters": letters.panel(dossier, user),
    }
    return render(request, "onestop/detail.html", context)


# ---- files ----------------------------------------------------------------------------------------


@login_required
@xframe_options_sameorigin
def paper_file(request, pk: int, paper: int):
    dossier = selectors.dossier_access(user=request.user, pk=pk)
    item = get_object_or_404(DossierPaper, pk=paper, dossier=dossier)
    access = audit.record_file_access(request, kind="dossier", object_id=dossier.pk)
    return serve_field_file(item.file, filename=item.file_name or None, **access)


@login_required
@xframe_options_sameorigin
def result_file(request, pk: int):
    dossier = selectors.dossier_access(user=request.user, pk=pk)
    name = f"{dossier.public_code}-ket-qua.pdf"
    access = audit.record_file_access(request, kind="dossier", object_id=dossier.pk)
    return serve_field_file(dossier.result_file, filename=name, **access)


@login_required
@xframe_options_sameorigin
def form_pdf(request, pk: int, number: int):
    dossier = selectors.dossier_access(user=request.user, pk=pk)
    signed = letters.issued_file(dossier, number)  # 04/05 once issued: the signed letter
    if signed is not None:
        access = audit.record_file_access(request, kind="dossier", object_id=dossier.pk)
        return serve_field_file(signed, filename=f"mau-{number:02d}-{dossier.public_code}.pdf", **access)
    module = _pdf()
    if module is None:
        raise Http404
    data = module.render_form(dossier, number)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{number:02d}-{dossier.public_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def letter_draft(request, pk: int, form: str):
    """Start the dossier's letter 04/05 as an outgoing draft and open it."""
    dossier = selectors.dossier_access(user=request.user, pk=pk)
    try:
        row = letters.letter_draft(dossier=dossier, form=form, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("onestop:detail", pk=dossier.pk)
    messages.success(
        request,
        _("Đã tạo dự thảo văn bản mẫu %(form)s; trình ký theo quy trình văn bản đi.") % {"form": form},
    )
    return redirect(row.outgoing.get_absolute_url())

"""The staff pages of the one-stop module: the counter screen, the queues, the dossier page with its
actions, and the files. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

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

from eoffice.db import page_of
from eoffice.files import serve_field_file
from eoffice.models import Role, User
from eoffice.params import int_param
from workflow import calendar

from . import forms, selectors, services
from .models import (
    COUNTER_STATES,
    PROCESSING_STATES,
    UNIT_HEAD_STATES,
    Dossier,
    DossierPaper,
    DossierState,
    OnestopConfig,
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


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Bạn không có quyền thực hiện thao tác này.")


def _form_errors(form) -> str:
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return " ".join(errors) or _("Yêu cầu không hợp lệ.")


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
    cutoff = services.cutoff_for(procedure=procedure, config=config)
    start = services.clock_start(received_at=now, cutoff=cutoff)
    return {
        "procedure": procedure,
        "start": start,
        "due": services.appointment(procedure=procedure, start=start),
        "deferred": start > now,
        "off_hours": services.received_off_hours(now),
        "cutoff": cutoff,
        "fee": f"{procedure.fee_amount:,}".replace(",", ".") if procedure.fee_amount else "",
    }


def _off_hours_warning() -> str:
    """A warning for the counter when now is outside working time (a day off, before opening, after close)."""
    now = timezone.localtime()
    if not services.received_off_hours(now):
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


def _received_message(dossier: Dossier) -> str:
    if dossier.state == DossierState.RECEIVED:
        return _("Đã tiếp nhận hồ sơ %(code)s, hẹn trả kết quả %(due)s.") % {
            "code": dossier.code,
            "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y"),
        }
    if dossier.state == DossierState.INCOMPLETE:
        return _("Đã lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mã tham chiếu %(ref)s).") % {
            "ref": dossier.reference
        }
    return _("Đã lập phiếu từ chối tiếp nhận hồ sơ (mã tham chiếu %(ref)s).") % {"ref": dossier.reference}


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
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _received_message(dossier))
            return redirect(f"{dossier.get_absolute_url()}?new=1")
    context = {
        "form": form,
        "checklist": checklist,
        "preview": _preview(procedure, user.agency_id),
        "off_hours_warning": _off_hours_warning(),
        "has_procedures": form.fields["procedure"].queryset.exists(),
        "kind_choices": forms.PaperKind.choices,
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
        "kind_choices": forms.PaperKind.choices,
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


@dataclass
class Panel:
    """One action of the dossier page: its form and how it is presented."""

    key: str
    title: str
    form: forms.ActionForm
    button: str
    tone: str = "primary"
    hint: str = ""
    confirm: str = ""

    @property
    def url(self) -> str:
        if self.key == "check":
            return reverse("onestop:check", args=[self.form.dossier.pk])
        return reverse("onestop:act", args=[self.form.dossier.pk, self.key])


def may_extend(dossier: Dossier, user: User) -> bool:
    """The same rule as ``services.dossier_extend``: once, while open, by the people working on it."""
    if dossier.extended or not dossier.is_open or user.agency_id != dossier.agency_id:
        return False
    return (
        user.has_role(Role.LEADER, Role.ONESTOP_OFFICER)
        or dossier.holder_id == user.pk
        or (user.has_role(Role.DEPARTMENT_HEAD) and user.department_id == dossier.department_id)
    )


def _extend_suggestion(dossier: Dossier) -> datetime:
    """Half the legal time (at least one working day) after the current appointment, at close of office."""
    base = max(dossier.due_at or timezone.now(), timezone.now())
    per_day = calendar.seconds_per_day() / 3600
    days = max(1, math.ceil(float(dossier.procedure.legal_hours) / per_day / 2))
    return calendar.add_working_days(base, days, end_of_day=True)


def _panels(dossier: Dossier, user: User) -> tuple[list[Panel], list[Panel]]:
    """The main actions (what this person is expected to do now) and the others they may take."""
    names = {t.name for t in dossier.get_available_user_state_transitions(user)}
    main: list[Panel] = []
    more: list[Panel] = []
    d = dossier
    if names & {"accept", "ask_complete", "refuse_reception"}:
        initial = {"missing": "\n".join(services.missing_mandatory(d))}
        main.append(
            Panel(
                "check",
                _("Kiểm tra hồ sơ nộp trực tuyến"),
                forms.CheckForm(dossier=d, initial=initial),
                _("Ghi nhận kết quả kiểm tra"),
            )
        )
    if "hand_to_unit" in names:
        main.append(
            Panel(
                "hand_to_unit",
                _("Chuyển phòng chuyên môn giải quyết"),
                forms.HandToUnitForm(dossier=d),
                _("Chuyển hồ sơ"),
                hint=_("Chuyển trong ngày; hồ sơ nhận sau giờ chốt chuyển đầu giờ ngày làm việc tiếp theo."),
            )
        )
    if "assign_officer" in names:
        main.append(Panel("assign", _("Phân công thụ lý"), forms.AssignForm(dossier=d), _("Giao thụ lý")))
    if d.state == DossierState.PROCESSING and names & {"submit_review", "submit_approval"}:
        review = services.has_review(d.procedure)
        if (review and "submit_review" in names) or (not review and "submit_approval" in names):
            main.append(
                Panel(
                    "submit",
                    _("Trình kết quả giải quyết"),
                    forms.SubmitForm(dossier=d, review=review),
                    _("Trình lãnh đạo phòng xem xét") if review else _("Trình lãnh đạo phê duyệt"),
                )
            )
    if "forward_approval" in names:
        main.append(
            Panel(
                "forward", _("Xem xét, trình ký"), forms.ForwardForm(dossier=d), _("Trình lãnh đạo phê duyệt")
            )
        )
    if "approve" in names and d.state == DossierState.APPROVAL:
        main.append(Panel("approve", _("Phê duyệt kết quả"), forms.ApproveForm(dossier=d), ""))
    if "supplement_received" in names:
        main.append(
            Panel(
                "supplement_received",
                _("Ghi nhận hồ sơ đã bổ sung"),
                forms.SupplementReceivedForm(dossier=d),
                _("Đã nhận bổ sung – tiếp tục giải quyết"),
                hint=_("Thời hạn giải quyết được tính tiếp, cộng thêm thời gian tạm dừng."),
            )
        )
    if "hand_over" in names:
        main.append(
            Panel(
                "hand_over",
                _("Trả kết quả cho người nộp"),
                forms.HandOverForm(dossier=d),
                _("Đã trả kết quả"),
            )
        )
    if "cancel_signing" in names and d.leader_id == user.pk:
        more.append(
            Panel(
                "cancel_signing",
                _("Rút lại yêu cầu ký số"),
                forms.CancelSigningForm(dossier=d),
                _("Rút lại"),
                tone="secondary",
                hint=_("Hồ sơ trở lại chờ phê duyệt; có thể trả lại chuyên viên để sửa kết quả."),
            )
        )
    if "send_back" in names:
        more.append(
            Panel(
                "send_back",
                _("Trả lại chuyên viên hoàn thiện"),
                forms.SendBackForm(dossier=d),
                _("Trả lại"),
                tone="secondary",
            )
        )
    if "ask_supplement" in names:
        more.append(
            Panel(
                "supplement",
                _("Yêu cầu người nộp bổ sung hồ sơ"),
                forms.SupplementForm(dossier=d),
                _("Gửi yêu cầu bổ sung"),
                tone="secondary",
            )
        )
    if may_extend(d, user):
        more.append(
            Panel(
                "extend",
                _("Xin lỗi và hẹn lại ngày trả (mẫu 04)"),
                forms.ExtendForm(dossier=d, initial={"due_at": _extend_suggestion(d)}),
                _("Hẹn lại ngày trả"),
                tone="secondary",
            )
        )
    if "refuse" in names:
        more.append(
            Panel(
                "refuse",
                _("Không giải quyết, trả lại hồ sơ có lý do"),
                forms.RefuseForm(dossier=d),
                _("Không giải quyết"),
                tone="danger",
                confirm=_("Hồ sơ sẽ được trả lại người nộp với lý do đã nêu. Tiếp tục?"),
            )
        )
    if "stop" in names:
        more.append(
            Panel(
                "stop",
                _("Dừng xử lý hồ sơ (mẫu 05)"),
                forms.StopForm(dossier=d),
                _("Dừng xử lý"),
                tone="danger",
                confirm=_("Dừng xử lý hồ sơ này? Thao tác không hoàn tác được."),
            )
        )
    return main, more


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
    module = _pdf()
    available_forms = module.available_forms(dossier) if module else []
    main, more = _panels(dossier, user)
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
        "main_panels": main,
        "more_panels": more,
        "holder_label": _holder_label(dossier),
        "is_signer": dossier.state == DossierState.SIGNING
        and request_obj is not None
        and request_obj.signer_id == user.pk,
        "rating_choices": forms.RATING_CHOICES,
        "can_receive_again": dossier.state == DossierState.INCOMPLETE
        and user.agency_id == dossier.agency_id
        and user.has_role(Role.ONESTOP_OFFICER),
    }
    return render(request, "onestop/detail.html", context)


# ---- actions --------------------------------------------------------------------------------------


def _do_check(d, by, f):
    dossier = services.dossier_check(dossier=d, by=by, **f.decision_kwargs())
    return _received_message(dossier)


def _do_hand_to_unit(d, by, f):
    c = f.cleaned_data
    services.dossier_hand_to_unit(dossier=d, by=by, department=c["department"], note=c["note"])
    return _("Đã chuyển hồ sơ cho %(unit)s.") % {"unit": c["department"].name}


def _do_assign(d, by, f):
    c = f.cleaned_data
    services.dossier_assign(dossier=d, by=by, officer=c["officer"], note=c["note"])
    return _("Đã giao %(name)s thụ lý hồ sơ.") % {"name": c["officer"].full_name}


def _do_submit(d, by, f):
    c = f.cleaned_data
    services.dossier_submit(
        dossier=d,
        by=by,
        leader=c.get("leader"),
        result_file=c.get("result_file") or None,
        result_number=c["result_number"],
        note=c["note"],
    )
    return _("Đã trình kết quả giải quyết.")


def _do_forward(d, by, f):
    c = f.cleaned_data
    services.dossier_forward(dossier=d, by=by, leader=c["leader"], note=c["note"])
    return _("Đã trình lãnh đạo %(name)s phê duyệt.") % {"name": c["leader"].full_name}


def _do_send_back(d, by, f):
    services.dossier_send_back(dossier=d, by=by, note=f.cleaned_data["note"])
    return _("Đã trả lại chuyên viên để hoàn thiện.")


def _do_approve(d, by, f):
    c = f.cleaned_data
    sign = c["mode"] == "sign"
    services.dossier_approve(dossier=d, by=by, sign=sign, note=c["note"])
    if sign:
        return _("Đã phê duyệt; kết quả đang chờ ký số. Bấm “Ký số ngay” để ký.")
    return _("Đã phê duyệt; kết quả chuyển về bộ phận một cửa để trả.")


def _do_cancel_signing(d, by, f):
    services.dossier_cancel_signing(dossier=d, by=by, note=f.cleaned_data["note"])
    return _("Đã rút lại yêu cầu ký; hồ sơ trở lại chờ phê duyệt.")


def _do_refuse(d, by, f):
    services.dossier_refuse(dossier=d, by=by, reasons=f.cleaned_data["reasons"])
    return _("Đã chuyển hồ sơ về bộ phận một cửa để trả lại người nộp kèm lý do.")


def _do_supplement(d, by, f):
    services.dossier_request_supplement(dossier=d, by=by, content=f.cleaned_data["content"])
    return _("Đã gửi yêu cầu bổ sung; thời hạn giải quyết tạm dừng.")


def _do_supplement_received(d, by, f):
    services.dossier_supplement_received(dossier=d, by=by, papers=f.papers(), note=f.cleaned_data["note"])
    return _("Đã ghi nhận hồ sơ bổ sung; thời hạn giải quyết được tính tiếp.")


def _do_extend(d, by, f):
    c = f.cleaned_data
    dossier = services.dossier_extend(dossier=d, by=by, reason=c["reason"], due_at=c["due_at"])
    return _("Đã hẹn lại ngày trả kết quả: %(due)s.") % {
        "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    }


def _do_stop(d, by, f):
    services.dossier_stop(dossier=d, by=by, reason=f.cleaned_data["reason"])
    return _("Đã dừng xử lý hồ sơ.")


def _do_hand_over(d, by, f):
    c = f.cleaned_data
    services.dossier_hand_over(
        dossier=d,
        by=by,
        returned_to=c["returned_to"],
        note=c["note"],
        rating=c.get("rating"),
        comment=c["comment"],
    )
    return _("Đã trả kết quả cho %(name)s.") % {"name": c["returned_to"]}


ACTIONS: dict[str, tuple[type[forms.ActionForm], Callable]] = {
    "check": (forms.CheckForm, _do_check),
    "hand_to_unit": (forms.HandToUnitForm, _do_hand_to_unit),
    "assign": (forms.AssignForm, _do_assign),
    "submit": (forms.SubmitForm, _do_submit),
    "forward": (forms.ForwardForm, _do_forward),
    "send_back": (forms.SendBackForm, _do_send_back),
    "approve": (forms.ApproveForm, _do_approve),
    "cancel_signing": (forms.CancelSigningForm, _do_cancel_signing),
    "refuse": (forms.RefuseForm, _do_refuse),
    "supplement": (forms.SupplementForm, _do_supplement),
    "supplement_received": (forms.SupplementReceivedForm, _do_supplement_received),
    "extend": (forms.ExtendForm, _do_extend),
    "stop": (forms.StopForm, _do_stop),
    "hand_over": (forms.HandOverForm, _do_hand_over),
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    dossier = selectors.dossier_access(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    form_class, run = ACTIONS[action]
    extra = {"review": services.has_review(dossier.procedure)} if action == "submit" else {}
    form = form_class(request.POST, request.FILES or None, dossier=dossier, **extra)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(dossier)
    try:
        text = run(dossier, request.user, form)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, text)
    return redirect(dossier)


@login_required
@require_POST
def check(request, pk: int):
    return act(request, pk, "check")


# ---- files ----------------------------------------------------------------------------------------


@login_required
@xframe_options_sameorigin
def paper_file(request, pk: int, paper: int):
    dossier = selectors.dossier_access(user=request.user, pk=pk)
    item = get_object_or_404(DossierPaper, pk=paper, dossier=dossier)
    return serve_field_file(
        item.file, filename=item.file_name or None, inline=request.GET.get("download") != "1"
    )


@login_required
@xframe_options_sameorigin
def result_file(request, pk: int):
    dossier = selectors.dossier_access(user=request.user, pk=pk)
    name = f"{dossier.public_code}-ket-qua.pdf"
    return serve_field_file(dossier.result_file, filename=name, inline=request.GET.get("download") != "1")


@login_required
@xframe_options_sameorigin
def form_pdf(request, pk: int, number: int):
    dossier = selectors.dossier_access(user=request.user, pk=pk)
    module = _pdf()
    if module is None:
        raise Http404
    data = module.render_form(dossier, number)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{number:02d}-{dossier.public_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

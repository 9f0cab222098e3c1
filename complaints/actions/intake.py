"""The case page's intake actions (xử lý đơn): classify, split a content off, mark a duplicate, and the
outcomes accept, refuse, forward, guide, keep. Offered while the case waits for its intake outcome and the
user may give it (the FSM's ``accept`` is among the user's transitions); each posts to one service, which
decides."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import services
from complaints.forms import intake as forms
from eoffice.actions import Action


def _intake(case, user, names) -> bool:
    return "accept" in (names or ())


def _duplicate_offered(case, user, names) -> bool:
    return _intake(case, user, names) and services.duplicate_candidates(case).exists()


def _case_kwargs(case, user, **kw) -> dict:
    return {"case": case}


def _classify(case, user, form) -> str:
    data = form.values()
    services.case_classify(
        case=case,
        by=user,
        kind=data["kind"],
        field=data["field"],
        subject=data.get("subject") or "",
        processable=data["processable"],
        not_processable_reason=data.get("not_processable_reason") or "",
        competent=data["competent"],
        competent_body=data.get("competent_body") or "",
        signer_count=data.get("signer_count"),
        act_known_on=data.get("act_known_on"),
    )
    return _("Đã cập nhật phân loại đơn.")


def _split(case, user, form) -> str:
    data = form.cleaned_data
    created = services.case_split(
        case=case,
        by=user,
        contents=[
            services.ContentInput(
                kind=data["kind"],
                content=data["content"],
                field=data["field"],
                subject=data.get("subject") or "",
            )
        ],
    )
    return _("Đã tách nội dung thành vụ việc %(codes)s.") % {"codes": ", ".join(c.code for c in created)}


def _duplicate(case, user, form) -> str:
    data = form.cleaned_data
    services.case_mark_duplicate(case=case, of=data["of"], by=user, note=data.get("note") or "")
    return _("Đã đánh dấu đơn trùng với vụ việc %(code)s và lưu đơn theo dõi.") % {"code": data["of"].code}


def _accept(case, user, form) -> str:
    data = form.cleaned_data
    services.case_accept(
        case=case,
        by=user,
        handler=data.get("handler"),
        department=data.get("department"),
        decider=data.get("decider"),
        note=data.get("note") or "",
    )
    return _("Đã thụ lý vụ việc; văn bản thụ lý (nếu có) đã được soạn dự thảo để trình ký.")


def _refuse(case, user, form) -> str:
    services.case_refuse(case=case, by=user, reason=form.cleaned_data["reason"])
    return _("Đã ghi nhận không thụ lý; thông báo không thụ lý đã được soạn dự thảo để trình ký.")


def _forward(case, user, form) -> str:
    data = form.cleaned_data
    services.case_forward(
        case=case,
        by=user,
        agency=data.get("agency"),
        body_name=data.get("body_name") or "",
        reason=data["reason"],
    )
    return _("Đã chuyển đơn; phiếu chuyển đơn đã được soạn dự thảo để trình ký, phát hành.")


def _guide(case, user, form) -> str:
    services.case_guide(case=case, by=user, guidance=form.cleaned_data["guidance"])
    return _("Đã hướng dẫn, trả đơn; in phiếu hướng dẫn trong mục Xử lý đơn.")


def _keep(case, user, form) -> str:
    services.case_keep(case=case, by=user, reason=form.cleaned_data["reason"])
    return _("Đã lưu đơn, theo dõi.")


ACTIONS: list = [
    Action(
        "accept",
        run=_accept,
        form=forms.AcceptForm,
        form_kwargs=_case_kwargs,
        when=_intake,
        title=gettext_lazy("Thụ lý"),
        button=gettext_lazy("Thụ lý"),
        hint=gettext_lazy(
            "Khiếu nại: soạn thông báo thụ lý; tố cáo: soạn quyết định thụ lý. "
            "Thời hạn giải quyết tính từ hôm nay."
        ),
    ),
    Action(
        "classify",
        run=_classify,
        form=forms.ClassifyForm,
        form_kwargs=_case_kwargs,
        when=_intake,
        title=gettext_lazy("Phân loại đơn"),
        button=gettext_lazy("Lưu phân loại"),
        tone="secondary",
        more=True,
    ),
    Action(
        "split",
        run=_split,
        form=forms.SplitForm,
        form_kwargs=_case_kwargs,
        when=_intake,
        title=gettext_lazy("Tách nội dung đơn"),
        button=gettext_lazy("Tách thành vụ việc mới"),
        tone="secondary",
        more=True,
    ),
    Action(
        "duplicate",
        run=_duplicate,
        form=forms.DuplicateForm,
        form_kwargs=_case_kwargs,
        when=_duplicate_offered,
        title=gettext_lazy("Đánh dấu đơn trùng"),
        button=gettext_lazy("Đánh dấu trùng, lưu đơn"),
        tone="secondary",
        more=True,
        hint=gettext_lazy("Đơn trùng được lưu theo dõi, không giải quyết lại."),
    ),
    Action(
        "refuse",
        run=_refuse,
        form=forms.ReasonForm,
        form_kwargs=_case_kwargs,
        when=_intake,
        title=gettext_lazy("Không thụ lý"),
        button=gettext_lazy("Không thụ lý"),
        tone="danger",
        more=True,
    ),
    Action(
        "forward",
        run=_forward,
        form=forms.ForwardForm,
        form_kwargs=_case_kwargs,
        when=_intake,
        title=gettext_lazy("Chuyển đơn"),
        button=gettext_lazy("Chuyển đơn"),
        tone="secondary",
        more=True,
        hint=gettext_lazy("Chỉ chuyển một lần cho cùng một nội dung."),
    ),
    Action(
        "guide",
        run=_guide,
        form=forms.GuideForm,
        form_kwargs=_case_kwargs,
        when=_intake,
        title=gettext_lazy("Hướng dẫn, trả đơn"),
        button=gettext_lazy("Hướng dẫn, trả đơn"),
        tone="secondary",
        more=True,
    ),
    Action(
        "keep",
        run=_keep,
        form=forms.ReasonForm,
        form_kwargs=_case_kwargs,
        when=_intake,
        title=gettext_lazy("Lưu đơn, theo dõi"),
        button=gettext_lazy("Lưu đơn"),
        tone="secondary",
        more=True,
        prefix="keep",
    ),
]

"""The case page's intake actions (xử lý đơn): classify, split a content off, mark a duplicate, and the
outcomes accept, refuse, forward, guide, keep. Offered while the case waits for its intake outcome and the
user may give it (the FSM's ``accept`` is among the user's transitions); each posts to one service, which
decides."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import services
from complaints.forms import intake as forms
from eoffice.actions import service_action


def _intake(case, user, names) -> bool:
    return "accept" in (names or ())


def _duplicate_offered(case, user, names) -> bool:
    return _intake(case, user, names) and services.duplicate_candidates(case).exists()


def _case_kwargs(case, user, **kw) -> dict:
    return {"case": case}


def _split_contents(d) -> list:
    return [
        services.ContentInput(
            kind=d["kind"], content=d["content"], field=d["field"], subject=d.get("subject") or ""
        )
    ]


def _split_message(created, d) -> str:
    return _("Đã tách nội dung thành vụ việc %(codes)s.") % {"codes": ", ".join(c.code for c in created)}


def _duplicate_message(result, d) -> str:
    return _("Đã đánh dấu đơn trùng với vụ việc %(code)s và lưu đơn theo dõi.") % {"code": d["of"].code}


# Every intake action: a form about the case, offered while the intake outcome is open, under "other
# actions" in a secondary tone unless it says otherwise.
_action = partial(
    service_action, record="case", form_kwargs=_case_kwargs, when=_intake, tone="secondary", more=True
)

ACTIONS: list = [
    _action(
        "accept",
        services.case_accept,
        fields=("handler", "department", "decider", "note"),
        message=gettext_lazy("Đã thụ lý vụ việc; văn bản thụ lý (nếu có) đã được soạn dự thảo để trình ký."),
        form=forms.AcceptForm,
        title=gettext_lazy("Thụ lý"),
        button=gettext_lazy("Thụ lý"),
        tone="primary",
        more=False,
        hint=gettext_lazy(
            "Khiếu nại: soạn thông báo thụ lý; tố cáo: soạn quyết định thụ lý. "
            "Thời hạn giải quyết tính từ hôm nay."
        ),
    ),
    _action(
        "classify",
        services.case_classify,
        values=lambda form: form.values(),
        fields=(
            "kind",
            "field",
            "subject",
            "processable",
            "not_processable_reason",
            "competent",
            "competent_body",
            "signer_count",
            "act_known_on",
        ),
        message=gettext_lazy("Đã cập nhật phân loại đơn."),
        form=forms.ClassifyForm,
        title=gettext_lazy("Phân loại đơn"),
        button=gettext_lazy("Lưu phân loại"),
    ),
    _action(
        "split",
        services.case_split,
        computed={"contents": _split_contents},
        message=_split_message,
        form=forms.SplitForm,
        title=gettext_lazy("Tách nội dung đơn"),
        button=gettext_lazy("Tách thành vụ việc mới"),
    ),
    _action(
        "duplicate",
        services.case_mark_duplicate,
        fields=("of", "note"),
        message=_duplicate_message,
        form=forms.DuplicateForm,
        when=_duplicate_offered,
        title=gettext_lazy("Đánh dấu đơn trùng"),
        button=gettext_lazy("Đánh dấu trùng, lưu đơn"),
        hint=gettext_lazy("Đơn trùng được lưu theo dõi, không giải quyết lại."),
    ),
    _action(
        "refuse",
        services.case_refuse,
        fields=("reason",),
        message=gettext_lazy(
            "Đã ghi nhận không thụ lý; thông báo không thụ lý đã được soạn dự thảo để trình ký."
        ),
        form=forms.ReasonForm,
        title=gettext_lazy("Không thụ lý"),
        button=gettext_lazy("Không thụ lý"),
        tone="danger",
    ),
    _action(
        "forward",
        services.case_forward,
        fields=("agency", "body_name", "reason"),
        message=gettext_lazy("Đã chuyển đơn; phiếu chuyển đơn đã được soạn dự thảo để trình ký, phát hành."),
        form=forms.ForwardForm,
        title=gettext_lazy("Chuyển đơn"),
        button=gettext_lazy("Chuyển đơn"),
        hint=gettext_lazy("Chỉ chuyển một lần cho cùng một nội dung."),
    ),
    _action(
        "guide",
        services.case_guide,
        fields=("guidance",),
        message=gettext_lazy("Đã hướng dẫn, trả đơn; in phiếu hướng dẫn trong mục Xử lý đơn."),
        form=forms.GuideForm,
        title=gettext_lazy("Hướng dẫn, trả đơn"),
        button=gettext_lazy("Hướng dẫn, trả đơn"),
    ),
    # "keep" (lưu đơn, theo dõi, with its follow-up date) is in complaints.actions.followup
]

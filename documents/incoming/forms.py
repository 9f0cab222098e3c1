from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.common import Channel, Confidentiality, Urgency
from documents.forms import (
    DateInput,
    DateTimeInput,
    MultipleFileField,
    MultipleFileInput,
    PeopleChoiceField,
    PersonChoiceField,
    end_of_office_day,
)
from documents.incoming import selectors
from documents.registers import secrecy
from documents.registers import selectors as register_selectors
from documents.registers.models import DocumentType, Register
from eoffice.models import Agency, Department, User
from eoffice.widgets import PickerSelect, PickerSelectMultiple
from workflow.models import DeadlineStatus, WorkflowState


class IncomingForm(forms.Form):
    main_files = MultipleFileField(
        label=_("Tệp văn bản"),
        required=False,
        help_text=_("Một tệp PDF, hoặc một hay nhiều ảnh quét (PNG, JPEG) sẽ được ghép thành PDF."),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    paper_location = forms.CharField(
        label=_("Nơi lưu bản giấy"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Tủ mật số 2, phòng Văn thư")}),
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm"), required=False, help_text=_("PDF, ảnh, Word (.docx), Excel (.xlsx).")
    )
    issuer_agency = forms.ModelChoiceField(
        label=_("Cơ quan ban hành (trong danh bạ)"), queryset=Agency.objects.none(), required=False
    )
    issuer_name = forms.CharField(
        label=_("Hoặc nhập tên cơ quan ban hành"),
        max_length=255,
        required=False,
        help_text=_("Dùng khi nơi gửi không có trong danh bạ."),
    )
    number_symbol = forms.CharField(
        label=_("Số, ký hiệu"), max_length=100, widget=forms.TextInput(attrs={"placeholder": "15/QĐ-UBND"})
    )
    issued_date = forms.DateField(label=_("Ngày ban hành"), widget=DateInput())
    doc_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True)
    )
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    urgency = forms.TypedChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, coerce=int, initial=0)
    confidentiality = forms.TypedChoiceField(
        label=_("Độ mật"), choices=Confidentiality.choices, coerce=int, initial=0
    )
    page_count = forms.IntegerField(
        label=_("Số trang"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Để trống: lấy theo tệp PDF."),
        error_messages={"invalid": _("Số trang phải là một số nguyên, viết bằng các chữ số 0–9.")},
    )
    received_at = forms.DateTimeField(label=_("Thời gian nhận"), widget=DateTimeInput())
    channel = forms.ChoiceField(label=_("Hình thức nhận"), choices=Channel.choices)
    due_date = forms.DateField(
        label=_("Hạn xử lý"),
        required=False,
        widget=DateInput(),
        help_text=_("Để trống: theo độ khẩn (ngày làm việc)."),
    )
    register = forms.ModelChoiceField(
        label=_("Sổ văn bản đến"),
        queryset=Register.objects.none(),
        required=False,
        empty_label=_("Sổ đăng ký văn bản đến (mặc định)"),
    )
    directing_leader = PersonChoiceField(
        label=_("Trình lãnh đạo"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Tất cả lãnh đạo —"),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)
    register_now = forms.BooleanField(label=_("Vào sổ ngay (cấp số đến)"), required=False, initial=True)
    allow_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: vẫn tiếp nhận văn bản này"), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = user.agency
        self.fields["issuer_agency"].queryset = Agency.objects.filter(is_active=True).exclude(
            pk=user.agency_id
        )
        if self.agency is not None and self.agency.secret_metadata_only_from in Confidentiality.values:
            level = secrecy.threshold_label(self.agency)
            self.fields["main_files"].help_text = _(
                "Một tệp PDF, hoặc một hay nhiều ảnh quét (PNG, JPEG) sẽ được ghép thành PDF. Văn bản mật "
                "từ độ %(level)s trở lên không tải tệp lên: chỉ đăng ký thông tin và nơi lưu bản giấy."
            ) % {"level": level}
            self.fields["paper_location"].help_text = _(
                "Bắt buộc với văn bản mật từ độ %(level)s trở lên (hệ thống không lưu tệp của văn bản này)."
            ) % {"level": level}
        registers = register_selectors.registers_for(user=user)
        self.fields["register"].queryset = registers
        default = registers.filter(is_default=True).first()
        if default is not None:
            self.fields["register"].empty_label = None
            self.fields["register"].initial = default.pk
        self.fields["directing_leader"].queryset = selectors.leaders_of(user.agency_id)
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        if not data.get("issuer_agency") and not (data.get("issuer_name") or "").strip():
            self.add_error("issuer_name", _("Vui lòng chọn hoặc nhập cơ quan ban hành."))
        level = data.get("confidentiality")
        if level is not None and secrecy.metadata_only(agency=self.agency, confidentiality=level):
            if data.get("main_files") or data.get("attachments"):
                self.add_error(
                    "main_files", secrecy.no_file_message(agency=self.agency, confidentiality=level)
                )
            if not (data.get("paper_location") or "").strip():
                self.add_error("paper_location", secrecy.paper_location_required_message())
        elif "main_files" in data and not data.get("main_files"):
            self.add_error("main_files", _("Vui lòng chọn tệp văn bản."))
        return data

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["due_at"] = end_of_office_day(d.pop("due_date"))
        return d


def _lead_choices(agency_id: int) -> list:
    units = [(f"d:{d.pk}", d.name) for d in Department.objects.filter(agency_id=agency_id, is_active=True)]
    people = [
        (f"u:{u.pk}", f"{u.full_name} — {u.position or ''}".rstrip(" —"))
        for u in selectors.people_of(agency_id).order_by("full_name")
    ]
    return [(_("Đơn vị"), units), (_("Cá nhân"), people)]


def _split(values, agency_id: int) -> tuple[list[User], list[Department]]:
    user_ids = [int(v[2:]) for v in values if v.startswith("u:")]
    dept_ids = [int(v[2:]) for v in values if v.startswith("d:")]
    users = list(User.objects.filter(pk__in=user_ids, agency_id=agency_id).select_related("department"))
    depts = list(Department.objects.filter(pk__in=dept_ids, agency_id=agency_id))
    return users, depts


class DirectForm(forms.Form):
    """The leader's direction. Lead, coordinators and "for information" are searchable pickers (an agency has
    hundreds of people). On a secret document only the people named are granted it; when the lead is a
    person, the leader decides whether the head of that person's unit may see it too (``grant_lead_head``,
    shown on secret documents only: ``secret=True``)."""

    instruction = forms.CharField(label=_("Ý kiến chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.ChoiceField(label=_("Chủ trì xử lý"), widget=PickerSelect)
    coordinators = forms.MultipleChoiceField(label=_("Phối hợp"), required=False, widget=PickerSelectMultiple)
    informed = forms.MultipleChoiceField(label=_("Để biết"), required=False, widget=PickerSelectMultiple)
    grant_lead_head = forms.BooleanField(
        label=_("Cấp quyền xem cho trưởng đơn vị của người chủ trì"),
        required=False,
        help_text=_(
            "Văn bản mật chỉ cấp quyền cho người được giao. Khi giao cho cá nhân, chọn mục này nếu trưởng "
            "đơn vị của người đó cần xem văn bản (để theo dõi, giao lại việc)."
        ),
    )
    due_date = forms.DateField(label=_("Hạn xử lý"), required=False, widget=DateInput())

    def __init__(self, *args, agency_id: int, secret: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id
        if not secret:
            del self.fields["grant_lead_head"]
        choices = _lead_choices(agency_id)
        self.fields["lead"].choices = [("", _("— Chọn đơn vị hoặc người chủ trì —")), *choices]
        self.fields["coordinators"].choices = choices
        self.fields["informed"].choices = choices[1:]

    def clean_due_date(self):
        day = self.cleaned_data.get("due_date")
        if day and day < timezone.localdate():
            raise ValidationError(_("Hạn xử lý không được trước hôm nay."))
        return day

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        lead_users, lead_depts = _split([d["lead"]], self.agency_id)
        co_users, co_depts = _split(d["coordinators"], self.agency_id)
        informed, _depts = _split(d["informed"], self.agency_id)
        return {
            "instruction": d["instruction"],
            "lead_user": lead_users[0] if lead_users else None,
            "lead_department": lead_depts[0] if lead_depts else None,
            "coordinators": co_users,
            "coordinator_departments": co_depts,
            "informed": informed,
            "due_at": end_of_office_day(d.get("due_date")),
            "grant_lead_head": bool(d.get("grant_lead_head")),
        }


class RegisterLeaderForm(forms.Form):
    """A secret document that arrived without its named leader: the clerk names one when registering."""

    directing_leader = forms.ModelChoiceField(
        queryset=User.objects.none(),
        error_messages={
            "required": _("Vui lòng chọn lãnh đạo chỉ đạo."),
            "invalid_choice": _("Vui lòng chọn lãnh đạo chỉ đạo."),
            "invalid_pk_value": _("Vui lòng chọn lãnh đạo chỉ đạo."),
        },
    )

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directing_leader"].queryset = selectors.leaders_of(agency_id)


class DelegateForm(forms.Form):
    to_leader = PersonChoiceField(label=_("Lãnh đạo được giao chỉ đạo"), queryset=User.objects.none())
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agency_id: int, exclude: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_leader"].queryset = selectors.leaders_of(agency_id).exclude(pk=exclude)


class ForwardForm(forms.Form):
    to_user = PersonChoiceField(
        label=_("Giao cho chuyên viên"), queryset=User.objects.none(), widget=PickerSelect
    )
    instruction = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("Hạn xử lý"), required=False, widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = people


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Nội dung cập nhật"), widget=forms.Textarea(attrs={"rows": 2}))
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100, required=False)
    attachment = forms.FileField(label=_("Tệp kèm theo"), required=False)


class RequestInputForm(forms.Form):
    targets = forms.MultipleChoiceField(label=_("Xin ý kiến của"), widget=PickerSelectMultiple)
    note = forms.CharField(label=_("Nội dung cần phối hợp"), widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("Hạn trả lời"), required=False, widget=DateInput())

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id
        self.fields["targets"].choices = _lead_choices(agency_id)

    def service_kwargs(self) -> dict:
        users, depts = _split(self.cleaned_data["targets"], self.agency_id)
        return {
            "coordinators": users,
            "coordinator_departments": depts,
            "note": self.cleaned_data["note"],
            "due_at": end_of_office_day(self.cleaned_data.get("due_date")),
        }


class ReplyForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến phối hợp"), widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("Tệp kèm theo"), required=False)


class ProposeForm(forms.Form):
    proposal = forms.CharField(label=_("Đề xuất giải quyết"), widget=forms.Textarea(attrs={"rows": 2}))


class LinkReplyForm(forms.Form):
    reply_number_symbol = forms.CharField(label=_("Số, ký hiệu văn bản trả lời"), max_length=100)


class FinishForm(forms.Form):
    note = forms.CharField(label=_("Kết quả xử lý"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("Tệp kết quả"), required=False)


class ActionForm(forms.Form):
    action = forms.CharField(max_length=40)
    comment = forms.CharField(required=False)
    expected_state = forms.CharField(required=False, max_length=20)


class AttachmentsForm(forms.Form):
    # Not marked required: the form is one optional step of the page (any state, finished included); an
    # empty upload is refused with a message instead.
    files = MultipleFileField(label=_("Thêm tệp đính kèm"), required=False)

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise ValidationError(_("Vui lòng chọn tệp đính kèm cần tải lên."))
        return files


class GrantForm(forms.Form):
    users = PeopleChoiceField(
        label=_("Cấp quyền xem cho"), queryset=User.objects.none(), widget=PickerSelectMultiple
    )

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = selectors.people_of(agency_id)


SORT_CHOICES = [
    ("", _("Mặc định")),
    ("-received", _("Mới nhận trước")),
    ("received", _("Nhận trước")),
    ("-number", _("Số đến giảm dần")),
    ("number", _("Số đến tăng dần")),
    ("due", _("Hạn xử lý gần nhất")),
    ("urgency", _("Khẩn trước")),
]
STATE_CHOICES = [("", _("Tất cả trạng thái"))] + [
    (s, lbl)
    for s, lbl in [
        (WorkflowState.NEW, _("Chờ vào sổ")),
        (WorkflowState.RECEIVED, _("Chờ chỉ đạo")),
        (WorkflowState.ASSIGNED, _("Đã giao xử lý")),
        (WorkflowState.PROCESSING, _("Đang xử lý")),
        (WorkflowState.ARCHIVED, _("Đã hoàn thành")),
        (WorkflowState.RETURNED, _("Đã trả lại nơi gửi")),
    ]
]


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Số, ký hiệu, trích yếu…"), "type": "search"}),
    )
    date_from = forms.DateField(label=_("Nhận từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=DateInput())
    doc_type = forms.ModelChoiceField(
        label=_("Loại"), queryset=DocumentType.objects.all(), required=False, empty_label=_("Tất cả loại")
    )
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False)
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"),
        choices=[("", _("Tất cả độ khẩn")), *Urgency.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    state = forms.ChoiceField(label=_("Trạng thái"), choices=STATE_CHOICES, required=False)
    deadline = forms.ChoiceField(
        label=_("Hạn xử lý"),
        required=False,
        choices=[("", _("Tất cả")), *[(k, v) for k, v in DeadlineStatus.choices if k != "paused"]],
    )
    sort = forms.ChoiceField(label=_("Sắp xếp"), choices=SORT_CHOICES, required=False)

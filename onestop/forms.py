"""Forms of the one-stop staff pages: the counter screen (applicant, papers checklist, decision), the list
filters, and one small form per processing action of the dossier page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Department, Role, User
from eoffice.params import int_param
from eoffice.search import fold, fold_sql
from eoffice.widgets import FastSelect, PickerLabel, PickerSelect

from . import services
from .models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierState,
    PaperKind,
    Procedure,
    ProcedureField,
    RequiredPaper,
)
from .selectors import staff_with_role

SCAN_ACCEPT = "application/pdf,image/png,image/jpeg"
MAX_EXTRA_PAPERS = 20
MAX_QUANTITY = 99


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _text(label, *, required=False, rows=2, max_length=2000, placeholder="", **kwargs):
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs=attrs),
        **kwargs,
    )


# ---- people ---------------------------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: User) -> str:
        extra = obj.position or (obj.department.name if obj.department_id else "")
        return f"{obj.full_name} — {extra}" if extra else obj.full_name


# ---- procedures -----------------------------------------------------------------------------------


class _ProcedureGroups(forms.models.ModelChoiceIterator):
    """The procedures grouped by field (<optgroup> per lĩnh vực), one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for obj in self.queryset:
            groups.setdefault(obj.field.name, []).append(self.choice(obj))
        yield from groups.items()


class ProcedureChoiceField(forms.ModelChoiceField):
    iterator = _ProcedureGroups

    def label_from_instance(self, obj: Procedure) -> str:
        return PickerLabel(obj.name, obj.code)


def procedures_of(agency_id: int) -> QuerySet[Procedure]:
    return (
        Procedure.objects.active()
        .filter(agency_id=agency_id)
        .select_related("field", "handling_department")
        .order_by("field__name", "name")
    )


# ---- the counter screen ---------------------------------------------------------------------------

OUTCOME_CHOICES = [
    (services.OUTCOME_VALID, _("Hồ sơ hợp lệ – tiếp nhận")),
    (services.OUTCOME_INCOMPLETE, _("Chưa đầy đủ – yêu cầu bổ sung")),
    (services.OUTCOME_INELIGIBLE, _("Không đủ điều kiện – từ chối")),
]
PHONE_RE = re.compile(r"^[0-9 +().-]{6,20}$")


class DecisionMixin(forms.Form):
    """The three outcomes of a check (at the counter or of an online submission)."""

    outcome = forms.ChoiceField(
        label=_("Kết quả kiểm tra hồ sơ"),
        choices=OUTCOME_CHOICES,
        initial=services.OUTCOME_VALID,
        widget=forms.RadioSelect,
    )
    missing = _text(
        _("Giấy tờ cần bổ sung, hoàn thiện"),
        rows=4,
        max_length=5000,
        help_text=_(
            "Ghi đầy đủ một lần tất cả nội dung cần bổ sung; in trên Phiếu yêu cầu bổ sung (mẫu 02)."
        ),
    )
    reasons = _text(
        _("Lý do từ chối tiếp nhận"),
        rows=3,
        max_length=5000,
        help_text=_("In trên Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == services.OUTCOME_INELIGIBLE and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Vui lòng nêu rõ lý do từ chối tiếp nhận."))
        return data

    def decision_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"outcome": d["outcome"], "missing": d.get("missing") or "", "reasons": d.get("reasons") or ""}


class ReceiveForm(DecisionMixin):
    procedure = ProcedureChoiceField(
        label=_("Thủ tục hành chính"),
        queryset=Procedure.objects.none(),
        empty_label=_("— Chọn thủ tục —"),
        widget=PickerSelect,
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
        initial=Channel.COUNTER,
        widget=forms.RadioSelect,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=_("Họ tên người nộp / tên tổ chức"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("CCCD / mã số DN")}),
    )
    applicant_phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Người nộp nhận thông báo tiến độ qua địa chỉ này."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    summary = forms.CharField(
        label=_("Nội dung yêu cầu giải quyết"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = _text(_("Ghi chú nội bộ"), rows=2)

    field_order = [
        "procedure",
        "channel",
        "applicant_kind",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "summary",
        "note",
        "outcome",
        "missing",
        "reasons",
    ]

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures_of(agency_id)
        self.fields["procedure"].widget.attrs.update(
            {
                "hx-get": reverse("onestop:receive_papers"),
                "hx-target": "#os-papers",
                "hx-trigger": "change",
                "hx-indicator": "#os-papers-loading",
            }
        )

    def clean_applicant_phone(self) -> str:
        phone = self.cleaned_data["applicant_phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Số điện thoại không hợp lệ."))
        return phone

    def clean_applicant_id_number(self) -> str:
        value = self.cleaned_data["applicant_id_number"].strip()
        if value and not re.fullmatch(r"[0-9A-Za-z-]{6,20}", value):
            raise ValidationError(_("Số định danh chỉ gồm chữ số (có thể có dấu gạch ngang)."))
        return value

    def selected_procedure(self) -> Procedure | None:
        """The procedure chosen (valid or not yet validated), to draw its checklist."""
        raw = (self.data if self.is_bound else self.initial).get("procedure", "")
        pk = int_param(str(getattr(raw, "pk", raw) or ""))
        if pk is None:
            return None
        return self.fields["procedure"].queryset.filter(pk=pk).first()

    def applicant(self) -> services.Applicant:
        d = self.cleaned_data
        return services.Applicant(
            name=d["applicant_name"],
            kind=d["applicant_kind"],
            id_number=d["applicant_id_number"],
            address=d["applicant_address"],
            phone=d["applicant_phone"],
            email=d["applicant_email"],
        )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "procedure": d["procedure"],
            "applicant": self.applicant(),
            "channel": d["channel"],
            "summary": d["summary"],
            "note": d["note"],
            **self.decision_kwargs(),
        }


@dataclass
class PaperRow:
    """One line of the checklist as drawn (and as posted back)."""

    prefix: str
    name: str
    kind: str
    quantity: int | str = 1
    received: bool = False
    mandatory: bool = False
    paper: RequiredPaper | None = None
    file: object | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def kind_choices(self):
        return PaperKind.choices


def _quantity(raw: str, row: PaperRow) -> int:
    raw = (raw or "").strip()
    if not raw:
        return 1
    quantity = int_param(raw, min_value=1, max_value=MAX_QUANTITY)
    if quantity is None:
        row.errors.append(str(_("Số lượng từ 1 đến %(n)d.") % {"n": MAX_QUANTITY}))
        return 1
    return quantity


def _scan(files, key: str, row: PaperRow):
    upload = files.get(key) if files else None
    if upload:
        try:
            services.validate_scan(upload)
        except ValidationError as exc:
            row.errors.extend(exc.messages)
            return None
    return upload


class PaperChecklist:
    """The papers of the counter screen: the procedure's catalogue (ticked when received, with kind,
    quantity and an optional scan) and free extra papers. Posted as ``paper-<id>-*`` and ``extra-<i>-*``."""

    def __init__(self, procedure: Procedure | None, data=None, files=None):
        self.procedure = procedure
        self.bound = data is not None
        self.rows: list[PaperRow] = []
        self.extras: list[PaperRow] = []
        self.had_files = bool(files)
        data = data if data is not None else {}
        kinds = set(PaperKind.values)
        if procedure is not None:
            for paper in procedure.papers.all():
                prefix = f"paper-{paper.pk}"
                row = PaperRow(
                    prefix=prefix, name=paper.name, kind=paper.kind, mandatory=paper.mandatory, paper=paper
                )
                row.quantity = paper.quantity
                if self.bound:
                    row.received = data.get(f"{prefix}-received") in ("on", "1", "true")
                    kind = data.get(f"{prefix}-kind", "")
                    row.kind = kind if kind in kinds else paper.kind
                    row.quantity = _quantity(data.get(f"{prefix}-quantity", ""), row)
                    row.file = _scan(files, f"{prefix}-file", row)
                self.rows.append(row)
        for index in range(MAX_EXTRA_PAPERS):
            prefix = f"extra-{index}"
            name = (data.get(f"{prefix}-name") or "").strip()
            upload = files.get(f"{prefix}-file") if files else None
            if not name and not upload:
                continue
            kind = data.get(f"{prefix}-kind", "")
            row = PaperRow(
                prefix=prefix,
                name=name[:500],
                kind=kind if kind in kinds else PaperKind.ORIGINAL,
                received=True,
            )
            row.quantity = _quantity(data.get(f"{prefix}-quantity", ""), row)
            row.file = _scan(files, f"{prefix}-file", row)
            if not name:
                row.errors.append(str(_("Vui lòng nhập tên giấy tờ.")))
            self.extras.append(row)

    @property
    def next_extra(self) -> int:
        used = [int(r.prefix.rsplit("-", 1)[1]) for r in self.extras]
        return max(used, default=-1) + 1

    @property
    def blank_extra(self) -> PaperRow:
        return PaperRow(prefix=f"extra-{self.next_extra}", name="", kind=PaperKind.ORIGINAL, received=True)

    @property
    def missing_text(self) -> str:
        return "\n".join(r.name for r in self.rows if r.mandatory and not r.received and not r.file)

    def is_valid(self) -> bool:
        return not any(r.errors for r in self.rows + self.extras)

    def inputs(self) -> list[services.PaperInput]:
        """What the service records: every received paper and every mandatory one not received (so that
        the dossier shows what was missing); optional papers not brought are left out."""
        items = []
        for row in self.rows:
            if not (row.received or row.file or row.mandatory):
                continue
            items.append(
                services.PaperInput(
                    name=row.name,
                    required=row.paper,
                    kind=row.kind,
                    quantity=int(row.quantity),
                    received=row.received or bool(row.file),
                    file=row.file,
                )
            )
        for row in self.extras:
            items.append(
                services.PaperInput(
                    name=row.name, kind=row.kind, quantity=int(row.quantity), received=True, file=row.file
                )
            )
        return items


# ---- list filters ---------------------------------------------------------------------------------

STATE_CHOICES = [("", _("Tất cả trạng thái")), *DossierState.choices]


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã hồ sơ, tên người nộp, thủ tục…")}
        ),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ProcedureField.objects.none(),
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
    )
    state = forms.ChoiceField(label=_("Trạng thái"), choices=STATE_CHOICES, required=False)
    date_from = forms.DateField(label=_("Nộp từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=DateInput())

    def __init__(self, *args, agency_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = ProcedureField.objects.filter(
            procedures__agency_id=agency_id
        ).distinct()

    def apply(self, qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
        if not self.is_bound:
            return qs
        self.is_valid()  # the fields that are valid filter; a bad value is dropped
        d = self.cleaned_data
        words = (d.get("q") or "").split()[:8]
        if words:
            qs = qs.annotate(_name=fold_sql("applicant_name"), _proc=fold_sql("procedure__name"))
        for word in words:
            folded_word = fold(word)
            qs = qs.filter(
                Q(code__icontains=word)
                | Q(reference__icontains=word)
                | Q(applicant_id_number__startswith=word)
                | Q(procedure__code__startswith=word)
                | Q(_name__contains=folded_word)
                | Q(_proc__contains=folded_word)
            )
        if d.get("field"):
            qs = qs.filter(procedure__field=d["field"])
        if d.get("state"):
            qs = qs.filter(state=d["state"])
        tz = timezone.get_current_timezone()
        if d.get("date_from"):
            qs = qs.filter(submitted_at__gte=datetime.combine(d["date_from"], datetime.min.time(), tzinfo=tz))
        if d.get("date_to"):
            qs = qs.filter(submitted_at__lte=datetime.combine(d["date_to"], datetime.max.time(), tzinfo=tz))
        return qs


# ---- actions of the dossier page ------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the small forms of the dossier page: they know the dossier (querysets, defaults)."""

    def __init__(self, *args, dossier: Dossier, **kwargs):
        self.dossier = dossier
        # several of these forms share a page: ids unique per form ("sendbackform-note")
        kwargs.setdefault("auto_id", f"{type(self).__name__.lower()}-%s")
        super().__init__(*args, **kwargs)


class CheckForm(DecisionMixin, ActionForm):
    """The counter's check of an online submission."""


class HandToUnitForm(ActionForm):
    department = forms.ModelChoiceField(
        label=_("Phòng chuyên môn giải quyết"), queryset=Department.objects.none(), widget=FastSelect
    )
    note = _text(_("Ghi chú"), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            agency_id=self.dossier.agency_id, is_active=True
        )
        self.fields["department"].initial = self.dossier.procedure.handling_department_id


class AssignForm(ActionForm):
    officer = PersonChoiceField(
        label=_("Chuyên viên thụ lý"), queryset=User.objects.none(), empty_label=_("— Chọn chuyên viên —")
    )
    note = _text(_("Ý kiến giao việc"), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = staff_with_role(
            self.dossier.agency_id, Role.OFFICER, department_id=self.dossier.department_id
        )


def _leader_field(form: ActionForm) -> None:
    """The agency's leaders; the dossier's leader (or the only one) chosen in advance."""
    field = form.fields["leader"]
    field.queryset = staff_with_role(form.dossier.agency_id, Role.LEADER)
    leaders = list(field.queryset.values_list("pk", flat=True)[:2])
    field.initial = form.dossier.leader_id or (leaders[0] if len(leaders) == 1 else None)


class SubmitForm(ActionForm):
    result_file = forms.FileField(
        label=_("Dự thảo kết quả (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    result_number = forms.CharField(
        label=_("Số, ký hiệu kết quả"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ số Giấy chứng nhận; có thể ghi sau."),
    )
    leader = PersonChoiceField(
        label=_("Trình lãnh đạo phê duyệt"), queryset=User.objects.none(), empty_label=_("— Chọn lãnh đạo —")
    )
    note = _text(_("Ý kiến trình"), max_length=1000)

    def __init__(self, *args, review: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        if review:
            del self.fields["leader"]
        else:
            _leader_field(self)
        self.fields["result_number"].initial = self.dossier.result_number
        if not self.dossier.result_file:
            self.fields["result_file"].required = True
            self.fields["result_file"].widget.attrs["required"] = True
        else:
            self.fields["result_file"].help_text = _("Đã có dự thảo; chọn tệp mới để thay thế.")

    def clean_result_file(self):
        upload = self.cleaned_data.get("result_file")
        if upload:
            upload.seek(0)
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise ValidationError(_("Dự thảo kết quả phải là tệp PDF."))
        return upload


class ForwardForm(ActionForm):
    leader = PersonChoiceField(
        label=_("Trình lãnh đạo phê duyệt"), queryset=User.objects.none(), empty_label=_("— Chọn lãnh đạo —")
    )
    note = _text(_("Ý kiến xem xét"), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _leader_field(self)


class SendBackForm(ActionForm):
    note = _text(
        _("Ý kiến trả lại"), required=True, max_length=2000, placeholder=_("Nội dung cần hoàn thiện…")
    )


class CancelSigningForm(ActionForm):
    note = _text(_("Lý do rút lại"), max_length=1000)


class ApproveForm(ActionForm):
    mode = forms.ChoiceField(choices=[("sign", "sign"), ("paper", "paper")], widget=forms.HiddenInput)
    note = _text(_("Ý kiến phê duyệt"), max_length=1000)


class RefuseForm(ActionForm):
    reasons = _text(
        _("Lý do không giải quyết"),
        required=True,
        rows=3,
        max_length=5000,
        help_text=_("Hồ sơ chuyển về bộ phận một cửa để trả cho người nộp kèm văn bản nêu rõ lý do."),
    )


class SupplementForm(ActionForm):
    content = _text(
        _("Nội dung cần bổ sung, hoàn thiện"),
        required=True,
        rows=4,
        max_length=5000,
        help_text=_("Thời hạn giải quyết tạm dừng cho đến khi người nộp bổ sung."),
    )


class SupplementReceivedForm(ActionForm):
    names = _text(
        _("Giấy tờ đã bổ sung"),
        rows=3,
        max_length=5000,
        help_text=_("Mỗi giấy tờ một dòng."),
    )
    files = forms.FileField(
        label=_("Bản quét (PDF, PNG, JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
    )
    note = _text(_("Ghi chú"), max_length=1000)

    def clean_files(self):
        upload = self.cleaned_data.get("files")
        if upload:
            services.validate_scan(upload)
        return upload

    def clean(self):
        data = super().clean()
        if (
            not (data.get("names") or "").strip()
            and not data.get("files")
            and not (data.get("note") or "").strip()
        ):
            raise ValidationError(_("Vui lòng ghi nhận giấy tờ đã bổ sung."))
        return data

    def papers(self) -> list[services.PaperInput]:
        d = self.cleaned_data
        items = [
            services.PaperInput(name=line.strip(), received=True)
            for line in (d.get("names") or "").splitlines()
            if line.strip()
        ]
        upload = d.get("files")
        if upload:
            if items:
                items[0].file = upload
            else:
                items.append(services.PaperInput(name=upload.name[:500], received=True, file=upload))
        return items


class ExtendForm(ActionForm):
    reason = _text(
        _("Lý do chậm trả kết quả"),
        required=True,
        rows=3,
        max_length=5000,
        help_text=_("In trên Văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04). Chỉ hẹn lại một lần."),
    )
    due_at = forms.DateTimeField(label=_("Ngày, giờ hẹn trả mới"), widget=DateTimeInput())


class StopForm(ActionForm):
    reason = _text(
        _("Lý do dừng xử lý"),
        required=True,
        rows=3,
        max_length=5000,
        help_text=_("In trên Thông báo dừng xử lý hồ sơ (mẫu 05)."),
    )


RATING_CHOICES = [
    (5, _("Rất hài lòng")),
    (4, _("Hài lòng")),
    (3, _("Bình thường")),
    (2, _("Chưa hài lòng")),
    (1, _("Không hài lòng")),
]


class HandOverForm(ActionForm):
    returned_to = forms.CharField(label=_("Người nhận kết quả"), max_length=255)
    note = _text(_("Ghi chú"), max_length=1000)
    rating = forms.TypedChoiceField(
        label=_("Mức độ hài lòng của người nộp"),
        choices=RATING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = _text(_("Góp ý của người nộp"), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_to"].initial = self.dossier.applicant_name

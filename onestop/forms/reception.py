"""The counter screen: the applicant, the papers checklist (catalogue papers and free ones, with their
scans) and the decision (the three outcomes of a check, shared with the online check)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eoffice.params import int_param
from eoffice.widgets import PickerSelect
from onestop import services
from onestop.forms.fields import ProcedureChoiceField, procedures_of, text_field
from onestop.models import ApplicantKind, Channel, PaperKind, Procedure, RequiredPaper

MAX_EXTRA_PAPERS = 20


MAX_QUANTITY = 99


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
    missing = text_field(
        _("Giấy tờ cần bổ sung, hoàn thiện"),
        rows=4,
        max_length=5000,
        help_text=_(
            "Ghi đầy đủ một lần tất cả nội dung cần bổ sung; in trên Phiếu yêu cầu bổ sung (mẫu 02)."
        ),
    )
    reasons = text_field(
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
    note = text_field(_("Ghi chú nội bộ"), rows=2)

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

"""Đăng ký văn bản mật (bản giấy): a secret outgoing document at or above the agency's metadata-only level
(``Agency.secret_metadata_only_from``) is drafted, signed and sealed on paper; the system holds only its
metadata and the place of the paper original. The clerk registers it here: the number comes from the
agency's secret outgoing register (its own series), the document goes straight to "đã phát hành", and the
history says who registered it, when, and where the paper is kept. No file is taken, ever."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.common import Confidentiality, Urgency
from documents.outgoing import selectors as outgoing_selectors
from documents.outgoing.models import OutgoingDocument
from documents.records.metadata.identifier import outgoing_identifier
from documents.registers import numbering, secrecy
from documents.registers.models import DocumentType
from eoffice.models import Department, Role, User
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState


def can_register_paper(user: User) -> bool:
    agency = getattr(user, "agency", None)
    return (
        agency is not None
        and user.has_role(Role.CLERK)
        and agency.secret_metadata_only_from in Confidentiality.values
    )


def secret_levels(agency) -> list[tuple[int, str]]:
    return [
        (value, label)
        for value, label in Confidentiality.choices
        if secrecy.metadata_only(agency=agency, confidentiality=value)
    ]


@transaction.atomic
def register_secret_paper(
    *,
    by: User,
    doc_type: DocumentType,
    summary: str,
    signer: User,
    signer_title: str = "",
    department: Department | None = None,
    confidentiality: int,
    urgency: int = Urgency.NORMAL,
    distribution: str = "",
    copies: int = 1,
    paper_location: str,
) -> OutgoingDocument:
    agency = by.agency
    if not can_register_paper(by):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan được đăng ký văn bản mật bản giấy."))
    errors = {}
    if not secrecy.metadata_only(agency=agency, confidentiality=confidentiality):
        errors["confidentiality"] = _(
            "Chỉ đăng ký bản giấy cho văn bản mật từ độ %(level)s trở lên; văn bản khác được soạn thảo và "
            "ký số trên hệ thống."
        ) % {"level": secrecy.threshold_label(agency)}
    if not summary.strip():
        errors["summary"] = _("Vui lòng nhập trích yếu nội dung.")
    if not paper_location.strip():
        errors["paper_location"] = secrecy.paper_location_required_message()
    if signer.agency_id != agency.pk or not signer.has_role(Role.LEADER, Role.DEPARTMENT_HEAD):
        errors["signer"] = _("Người ký phải là lãnh đạo của cơ quan.")
    if department is not None and department.agency_id != agency.pk:
        errors["department"] = _("Đơn vị soạn thảo không thuộc cơ quan.")
    if copies < 1:
        errors["copies"] = _("Số lượng bản phải từ 1 trở lên.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    register = numbering.outgoing_register(agency=agency, doc_type=doc_type, secret=True)
    year, number = numbering.issue(register=register, year=timezone.localtime(now).year)
    symbol = numbering.number_symbol(
        number, numbering.outgoing_symbol(doc_type=doc_type, agency=agency, department=department)
    )
    document = OutgoingDocument.objects.create(
        agency=agency,
        department=department,
        doc_type=doc_type,
        source=OutgoingDocument.Source.UPLOAD,
        register=register,
        year=year,
        number=number,
        number_symbol=symbol,
        issued_at=now,
        summary=summary.strip(),
        distribution=distribution.strip(),
        copies=copies,
        paper_location=paper_location.strip(),
        signer=signer,
        signer_title=signer_title.strip() or (signer.position or ""),
        confidentiality=confidentiality,
        urgency=urgency,
        drafted_by=by,
        issued_by=by,
        signed_at=now,
        released_at=now,
        identifier=outgoing_identifier(agency_code=agency.code, issued_at=now, number_symbol=symbol),
    )
    # Issued on paper: the state is set once, here, and the history says how.
    OutgoingDocument.objects.filter(pk=document.pk).update(state=WorkflowState.ISSUED)
    document.refresh_from_db()
    wf.history_add(
        record=document,
        event=HistoryEntry.Event.CREATED,
        actor=by,
        to_state=WorkflowState.ISSUED,
        comment=_("Đăng ký văn bản mật (bản giấy), số %(symbol)s; bản giấy lưu tại: %(place)s")
        % {"symbol": symbol, "place": document.paper_location},
        data={"paper": True, "number": number, "year": year, "register": register.pk},
    )
    return document


class PaperForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=gettext_lazy("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True)
    )
    summary = forms.CharField(label=gettext_lazy("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    confidentiality = forms.TypedChoiceField(label=gettext_lazy("Độ mật"), coerce=int, choices=())
    urgency = forms.TypedChoiceField(
        label=gettext_lazy("Độ khẩn"), choices=Urgency.choices, coerce=int, initial=0
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị soạn thảo"), queryset=Department.objects.none(), required=False
    )
    signer = forms.ModelChoiceField(label=gettext_lazy("Người ký"), queryset=User.objects.none())
    signer_title = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Để trống: chức vụ của người ký."),
    )
    distribution = forms.CharField(
        label=gettext_lazy("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Mỗi nơi một dòng."),
    )
    copies = forms.IntegerField(label=gettext_lazy("Số lượng bản"), min_value=1, max_value=10000, initial=1)
    # Required (marked on the form), with the service's own message.
    paper_location = forms.CharField(
        label=gettext_lazy("Nơi lưu bản giấy"),
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Tủ mật số 2, phòng Văn thư")}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        agency = user.agency
        self.fields["confidentiality"].choices = secret_levels(agency)
        self.fields["department"].queryset = Department.objects.filter(agency_id=agency.pk, is_active=True)
        self.fields["signer"].queryset = outgoing_selectors.reviewers_of(agency.pk)
        self.fields["paper_location"].error_messages["required"] = secrecy.paper_location_required_message()
        self.fields["signer"].label_from_instance = lambda u: (
            f"{u.full_name} — {u.position}" if u.position else u.full_name
        )

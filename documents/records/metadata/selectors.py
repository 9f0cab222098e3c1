"""Reads of the metadata package: the metadata block of a detail page (every field of NĐ 30 Phụ lục VI
Phần II: Mục I for an outgoing document, Mục II for an incoming one, Mục III for a case file), the custom
fields, the pending access changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records.metadata import access
from documents.records.models import AccessChange, CaseFileItem, CustomField, CustomFieldValue

KIND_LABELS = {"incoming": "Văn bản đến", "outgoing": "Văn bản đi", "casefile": "Hồ sơ"}


@dataclass
class Row:
    """One line of the metadata block: its number in Phụ lục VI Phần II, label, value (text or links)."""

    code: str
    label: str
    value: str = ""
    links: list = field(default_factory=list)  # (text, url)
    key: str = ""
    custom: bool = False


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def _split(number_symbol: str) -> tuple[str, str]:
    number, slash, notation = (number_symbol or "").strip().partition("/")
    return (number.strip(), notation.strip()) if slash else ("", number.strip())


def _case_file_rows(user, kind: str, record) -> list[Row]:
    """Mã hồ sơ and the document's number in each file that holds it (files of its agency the user may
    see)."""
    from documents.records.access import visible_case_files

    items = (
        CaseFileItem.objects.filter(kind=kind, object_id=record.pk, case_file__in=visible_case_files(user))
        .select_related("case_file", "case_file__agency")
        .order_by("case_file__year", "case_file__code")
    )
    links, ordinals = [], []
    for item in items:
        cf = item.case_file
        file_code = f"{cf.agency.code}.{cf.year}.{cf.code}"
        links.append((f"{file_code} – {cf.title}", case_file_url(cf.pk)))
        ordinals.append(f"{item.ordinal:03d} ({cf.code})")
    return [
        Row("1", _("Mã hồ sơ"), "" if links else _("Chưa lưu vào hồ sơ nào"), links=links, key="case_files"),
        Row("2", _("Số thứ tự văn bản trong hồ sơ"), "; ".join(ordinals), key="ordinals"),
    ]


def case_file_url(pk: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("documents:casefile_detail", args=[pk])
    except NoReverseMatch:  # pragma: no cover - helper 2's page
        return ""


def _priority(record) -> str:
    parts = [record.get_urgency_display()]
    if record.confidentiality:
        parts.append(record.get_confidentiality_display())
    return " · ".join(str(p) for p in parts)


def _outgoing_rows(user, record) -> list[Row]:
    from documents.outgoing.models import OutgoingRecipient
    from documents.records.metadata.identifier import identifier_of

    number, notation = _split(record.number_symbol)
    version = record.current_version if record.current_version_id else None
    recipients = list(
        OutgoingRecipient.objects.filter(document=record)
        .select_related("external_agency", "agency")
        .order_by("pk")
    )
    if recipients:
        to = "; ".join(f"{r.name} ({code})" if (code := _recipient_code(r)) else r.name for r in recipients)
    else:
        to = "; ".join(line.strip() for line in record.distribution.splitlines() if line.strip())
    signer = record.signer.full_name if record.signer_id else ""
    return [
        Row("", _("Mã định danh văn bản"), identifier_of(record), key="identifier"),
        *_case_file_rows(user, "outgoing", record),
        Row("3", _("Tên loại văn bản"), record.doc_type.name, key="type"),
        Row("4", _("Số của văn bản"), number or (str(record.number) if record.number else ""), key="number"),
        Row("5", _("Ký hiệu của văn bản"), notation, key="notation"),
        Row("6", _("Ngày, tháng, năm văn bản"), _date(record.issued_at), key="date"),
        Row("7", _("Tên cơ quan, tổ chức ban hành văn bản"), record.agency.name, key="issuer"),
        Row("8", _("Trích yếu nội dung"), record.summary, key="summary"),
        Row("9", _("Ngôn ngữ"), _("Tiếng Việt"), key="language"),
        Row("10", _("Số trang của văn bản"), str(version.pages) if version else "", key="pages"),
        Row("11", _("Ghi chú"), record.archive_note, key="note"),
        Row("12.1", _("Chức vụ của người ký văn bản"), record.signer_title, key="position"),
        Row("12.2", _("Họ và tên người ký văn bản"), signer, key="signer"),
        Row("13", _("Nơi nhận"), to, key="recipients"),
        Row("14", _("Mức độ khẩn, độ mật"), _priority(record), key="priority"),
        Row("15", _("Số lượng bản phát hành"), str(record.copies), key="copies"),
        # The outgoing document has no reply deadline field (models frozen): shown empty.
        Row("16", _("Hạn trả lời văn bản"), "", key="due"),
    ]


def _recipient_code(recipient) -> str:
    if recipient.external_agency_id:
        return recipient.external_agency.organ_id
    if recipient.agency_id:
        return recipient.agency.code
    return ""


def incoming_identifier(record) -> str:
    """The DocumentId an incoming document came with over the axis, else the identifier of the outgoing
    document delivered inside the installation; '' for a paper one."""
    from documents.exchange.models import InboxMessage
    from documents.outgoing.models import OutgoingRecipient
    from documents.records.metadata.identifier import identifier_of

    inbox = (
        InboxMessage.objects.filter(incoming=record)
        .exclude(document_id="")
        .values_list("document_id", flat=True)
    )
    found = inbox.first()
    if found:
        return found
    source = (
        OutgoingRecipient.objects.filter(incoming=record)
        .select_related("document", "document__agency")
        .first()
    )
    return identifier_of(source.document) if source is not None else ""


def _incoming_rows(user, record) -> list[Row]:
    from workflow.models import Assignment

    number, notation = _split(record.number_symbol)
    holders = (
        Assignment.objects.for_record(record)
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("department", "assignee")
        .order_by("pk")
    )
    to = []
    for a in holders:
        name = a.assignee.full_name if a.assignee_id else (a.department.name if a.department_id else "")
        if name and name not in to:
            to.append(name)
    trace = [p for p in (record.instruction, str(record.state_label)) if p]
    return [
        Row("", _("Mã định danh văn bản"), incoming_identifier(record), key="identifier"),
        *_case_file_rows(user, "incoming", record),
        Row("3", _("Tên loại văn bản"), record.doc_type.name, key="type"),
        Row("4", _("Số của văn bản"), number, key="number"),
        Row("5", _("Ký hiệu của văn bản"), notation, key="notation"),
        Row("6", _("Ngày, tháng, năm văn bản"), _date(record.issued_date), key="date"),
        Row("7", _("Tên cơ quan, tổ chức ban hành văn bản"), record.issuer_name, key="issuer"),
        Row("8", _("Trích yếu nội dung"), record.summary, key="summary"),
        Row("9", _("Ngôn ngữ"), _("Tiếng Việt"), key="language"),
        Row("10", _("Số trang của văn bản"), str(record.page_count), key="pages"),
        Row("11", _("Ghi chú"), record.note, key="note"),
        Row("12", _("Ngày, tháng, năm đến"), _date(record.received_at), key="arrival_date"),
        Row("13", _("Số đến"), record.number_display if record.number else "", key="arrival_number"),
        # The incoming document keeps the signer's name only (no position field): 14.1 stays empty.
        Row("14.1", _("Chức vụ của người ký văn bản"), "", key="position"),
        Row("14.2", _("Họ và tên người ký văn bản"), record.signer_name, key="signer"),
        Row("15", _("Mức độ khẩn, độ mật"), _priority(record), key="priority"),
        Row("16", _("Đơn vị hoặc người nhận"), "; ".join(to), key="recipients"),
        Row("17", _("Ý kiến phân phối, chỉ đạo, trạng thái xử lý văn bản"), " · ".join(trace), key="trace"),
        Row("18", _("Thời hạn giải quyết"), _date(record.due_at), key="due"),
    ]


def _casefile_rows(user, record) -> list[Row]:
    return [
        Row(
            "1.1", _("Mã định danh của cơ quan, tổ chức lập danh mục hồ sơ"), record.agency.code, key="organ"
        ),
        Row("1.2", _("Năm hình thành hồ sơ"), str(record.year), key="year"),
        Row("1.3", _("Số và ký hiệu hồ sơ"), record.code, key="code"),
        Row("2", _("Tiêu đề hồ sơ"), record.title, key="title"),
        Row("3", _("Thời hạn bảo quản"), str(record.get_retention_display()), key="retention"),
        Row("4", _("Chế độ sử dụng"), str(record.get_rights_display()), key="rights"),
        Row("5", _("Người lập hồ sơ"), record.owner.full_name if record.owner_id else "", key="creator"),
        Row("6", _("Ngôn ngữ"), record.language, key="language"),
        Row("7", _("Thời gian bắt đầu"), _date(record.opened_at), key="start"),
        Row("8", _("Thời gian kết thúc"), _date(record.closed_at), key="end"),
        Row("9", _("Tổng số văn bản trong hồ sơ"), str(record.doc_total or ""), key="doc_total"),
        Row("10", _("Tổng số trang của hồ sơ"), str(record.page_total or ""), key="page_total"),
        Row("11", _("Ghi chú"), record.description, key="description"),
    ]


def custom_fields(*, agency_id: int, kind: str, active_only: bool = True) -> QuerySet[CustomField]:
    qs = CustomField.objects.filter(agency_id=agency_id, kind=kind)
    return qs.filter(is_active=True) if active_only else qs


def custom_values(*, agency_id: int, kind: str, object_id: int) -> list[tuple[CustomField, str]]:
    """The record's active custom fields with their stored values ('' when empty), one query."""
    fields = list(custom_fields(agency_id=agency_id, kind=kind).order_by("position", "id"))
    stored = dict(
        CustomFieldValue.objects.filter(field__in=fields, object_id=object_id).values_list(
            "field_id", "value"
        )
    )
    return [(f, stored.get(f.pk, "")) for f in fields]


def display_value(field: CustomField, value: str) -> str:
    if value and field.field_type == CustomField.FieldType.DATE:
        try:
            y, m, d = value.split("-")
            return f"{d}/{m}/{y}"
        except ValueError:
            return value
    if value and field.field_type == CustomField.FieldType.NUMBER:
        return value.replace(".", ",")
    return value


def metadata_rows(*, kind: str, record, user) -> list[Row]:
    """Every field of Phụ lục VI Phần II for the record (Mục I outgoing, Mục II incoming, Mục III case
    file), then the agency's active custom fields of that kind. ``record`` has been checked by the caller's
    access helper."""
    if kind == "outgoing":
        rows = _outgoing_rows(user, record)
    elif kind == "incoming":
        rows = _incoming_rows(user, record)
    elif kind == "casefile":
        rows = _casefile_rows(user, record)
    else:
        raise ValueError(kind)
    for f, value in custom_values(agency_id=record.agency_id, kind=kind, object_id=record.pk):
        rows.append(Row("", f.label, display_value(f, value), key=f"cf{f.pk}", custom=True))
    return rows


def pending_changes(*, kind: str, object_id: int, agency_id: int) -> QuerySet[AccessChange]:
    return (
        AccessChange.objects.filter(
            agency_id=agency_id, kind=kind, object_id=object_id, status=AccessChange.Status.PENDING
        )
        .select_related("grantee", "requested_by")
        .order_by("requested_at")
    )


def metadata_context(*, kind: str, record, user) -> dict:
    """The context of ``documents/_metadata.html``: the rows, the custom-field form when the user may
    fill it, the pending access changes (the warning), and whether the user may confirm them."""
    values = custom_values(agency_id=record.agency_id, kind=kind, object_id=record.pk)
    editable = bool(values) and access.can_edit_values(user, kind, record)
    return {
        "metadata_kind": kind,
        "metadata_record": record,
        "metadata_rows": metadata_rows(kind=kind, record=record, user=user),
        "metadata_form": [{"field": f, "value": display_value(f, v), "name": f"cf_{f.pk}"} for f, v in values]
        if editable
        else None,
        "access_pending": list(pending_changes(kind=kind, object_id=record.pk, agency_id=record.agency_id)),
        "access_can_confirm": access.can_confirm(user, record.agency_id),
        "access_grantees": _grantees(kind, record, user),
    }


def _grantees(kind: str, record, user) -> list:
    """The people with an explicit view right on a secret incoming document (for a leader or clerk, who
    may ask to revoke one)."""
    from eoffice.models import Role

    if kind != "incoming" or not record.is_secret or user.agency_id != record.agency_id:
        return []
    if not user.has_role(Role.LEADER, Role.CLERK):
        return []
    from documents.incoming.models import IncomingDocumentUserObjectPermission

    return [
        p.user
        for p in IncomingDocumentUserObjectPermission.objects.filter(content_object=record)
        .select_related("user")
        .order_by("user__full_name")
    ]


def pending_for_confirmer(user) -> QuerySet[AccessChange]:
    """The agency's pending changes a leader or agency admin may decide (not their own requests)."""
    if not access.can_confirm(user, user.agency_id):
        return AccessChange.objects.none()
    return (
        AccessChange.objects.filter(agency_id=user.agency_id, status=AccessChange.Status.PENDING)
        .exclude(requested_by=user)
        .select_related("grantee", "requested_by")
    )


def pending_count(user) -> int:
    return pending_for_confirmer(user).count() if getattr(user, "agency_id", None) else 0


def changes_for(user) -> QuerySet[AccessChange]:
    """The list page: confirmers see the agency's changes, anyone else their own requests."""
    qs = AccessChange.objects.filter(agency_id=user.agency_id).select_related(
        "grantee", "requested_by", "decided_by"
    )
    if not access.can_confirm(user, user.agency_id):
        qs = qs.filter(requested_by=user)
    return qs.order_by("-requested_at")


def change_targets(changes) -> dict[tuple[str, int], tuple[str, str]]:
    """(kind, object_id) → (label, url) for a page of changes: one query per kind."""
    from documents.incoming.models import IncomingDocument
    from documents.records.models import CaseFile

    wanted: dict[str, set[int]] = {}
    for c in changes:
        wanted.setdefault(c.kind, set()).add(c.object_id)
    out = {}
    if wanted.get("incoming"):
        for doc in IncomingDocument.objects.filter(pk__in=wanted["incoming"]).only(
            "pk", "number_symbol", "summary"
        ):
            out[("incoming", doc.pk)] = (f"{doc.number_symbol} · {doc.summary[:80]}", doc.get_absolute_url())
    if wanted.get("casefile"):
        for cf in CaseFile.objects.filter(pk__in=wanted["casefile"]).only("pk", "code", "title"):
            out[("casefile", cf.pk)] = (f"{cf.code} · {cf.title[:80]}", case_file_url(cf.pk))
    return out

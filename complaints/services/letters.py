"""The sổ xử lý đơn: registering a letter (numbered, its people encrypted, its scans, one case per content),
its files (checked by content; a protected letter's originals stored encrypted), an online letter taken by
an officer, the classification of a case, splitting a letter's contents into more cases, and duplicates."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import crypto, deadlines, rules, selectors
from complaints.models import (
    Case,
    CaseKind,
    CaseState,
    Field,
    Identity,
    Letter,
    LetterFile,
    NotProcessable,
    RegisterCounter,
    Source,
)
from complaints.services.common import case_history, new_case_code, next_number, sync_clock
from complaints.services.identity import PersonInput, identities_add
from documents.files import removed_on_error
from eoffice.models import Agency, User
from eoffice.uploads import check_upload
from workflow import services as wf
from workflow.models import HistoryEntry

# The timeline's title of this module's event that registry.ACTION_LABELS does not name.

__all__ = [
    "ContentInput",
    "case_classify",
    "case_mark_duplicate",
    "case_split",
    "duplicate_candidates",
    "letter_file_add",
    "letter_register",
    "letter_take",
    "representatives_allowed",
]

SCAN_KINDS = frozenset({"pdf", "png", "jpeg"})
_EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}
_CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


@dataclass
class ContentInput:
    """One content of a letter: it becomes one case."""

    kind: str
    content: str
    field: str = Field.OTHER
    subject: str = ""
    act_known_on: date | None = None
    instance: int = 1
    previous: Case | None = None


# ---- helpers ----------------------------------------------------------------------------------------


def _check_contents(contents: list[ContentInput]) -> None:
    if not contents:
        raise ValidationError(_("Đơn phải có ít nhất một nội dung."), code="no_content")
    for item in contents:
        if item.kind not in CaseKind.values:
            raise ValidationError(_("Loại đơn không hợp lệ."), code="bad_kind")
        if item.field not in Field.values:
            raise ValidationError(_("Lĩnh vực không hợp lệ."), code="bad_field")
        if not (item.content or "").strip():
            raise ValidationError(_("Vui lòng nhập nội dung đơn."), code="no_content")
        if item.instance not in (1, 2):
            raise ValidationError(
                _("Lần giải quyết chỉ có thể là lần đầu hoặc lần hai."), code="bad_instance"
            )
        if item.instance == 2 and item.kind != CaseKind.COMPLAINT:
            raise ValidationError(_("Chỉ khiếu nại mới có giải quyết lần hai."), code="bad_instance")
        if item.act_known_on and item.act_known_on > timezone.localdate():
            raise ValidationError(_("Ngày biết quyết định, hành vi không được sau hôm nay."), code="future")


def _new_case(
    *, letter: Letter, order: int, item: ContentInput, by: User | None, department_id, decider, remote: bool
) -> Case:
    case = Case(
        agency_id=letter.agency_id,
        letter=letter,
        order=order,
        code=new_case_code(item.kind),
        kind=item.kind,
        instance=item.instance,
        previous=item.previous,
        field=item.field,
        content=item.content.strip(),
        subject=(item.subject or "").strip()[:500],
        act_known_on=item.act_known_on,
        handler=by if by is not None and rules.is_officer(by, letter.agency_id) else None,
        department_id=department_id,
        decider=decider,
        protected=letter.protected,
        remote_area=remote,
    )
    while Case.objects.filter(code=case.code).exists():  # pragma: no cover - 32^8 codes
        case.code = new_case_code(item.kind)
    case.save()
    wf.history_add(
        record=case,
        event=HistoryEntry.Event.CREATED,
        actor=by,
        action="created",
        comment=_("Vào sổ đơn số %(number)s, nội dung %(order)s")
        % {"number": f"{letter.number}/{letter.year}", "order": order},
        data={"letter": letter.pk, "order": order},
    )
    if by is None:
        # An online letter: the deadline runs from now, the work item is created when an officer takes it
        # (``letter_take``), since an assignment needs someone who gave it.
        deadlines.recompute(case)
        case.save(update_fields=["due_at", "due_soon_at", "due_rule"])
    else:
        sync_clock(case, by=by)
    return case


def _check_scan(upload) -> str:
    try:
        kind = check_upload(upload, kinds=SCAN_KINDS)
    except ValidationError as error:
        raise ValidationError(
            _("Tệp “%(name)s”: %(error)s")
            % {"name": getattr(upload, "name", ""), "error": " ".join(error.messages)},
            code="bad_file",
        ) from error
    if kind is None:
        raise ValidationError(_("Chưa chọn tệp."), code="no_file")
    return kind


def representatives_allowed(signer_count: int) -> tuple[int, int]:
    """How many representatives a letter signed by many names (TT 05/2021, NĐ 124/2020 Đ7): 5–10 signers
    name 1–2, more than 10 up to 5; fewer than 5 need none."""
    if signer_count > 10:
        return 1, 5
    if signer_count >= 5:
        return 1, 2
    return 0, 0


def _check_representatives(people: list[PersonInput], signer_count: int) -> None:
    """At most the representatives the count rules allow (a letter of fewer than 5 signers: no rule)."""
    named = sum(1 for p in people if p.role == Identity.Role.REPRESENTATIVE)
    _low, high = representatives_allowed(signer_count)
    if high and named > high:
        raise ValidationError(
            _("Đơn có %(count)s người đứng tên chỉ cử tối đa %(high)s người đại diện.")
            % {"count": signer_count, "high": high},
            code="representatives",
        )


# ---- registration -------------------------------------------------------------------------------------


def letter_register(
    *,
    by: User | None,
    received_on: date,
    source: str,
    summary: str,
    people: list[PersonInput],
    contents: list[ContentInput],
    files=(),
    papers=(),
    source_org: str = "",
    source_reference: str = "",
    incoming=None,
    visit=None,
    signer_count: int | None = None,
    anonymous: bool = False,
    protected: bool = False,
    decider: User | None = None,
    agency: Agency | None = None,
) -> Letter:
    """Enter a letter in the sổ xử lý đơn: its number (``next_number`` "letters"), its people (encrypted),
    its scans (``files``: the letter; ``papers``: the papers handed in), one case per content (handler =
    ``by`` when an officer, the handling unit, the decider), each with its clock. ``by`` None: an online
    letter of ``agency`` (received_by empty until an officer takes it). A protected letter keeps no plain
    name of anyone on it, and its originals are stored encrypted."""
    people = list(people or [])
    contents = list(contents or [])
    files, papers = list(files or []), list(papers or [])
    if by is not None:
        agency_id = by.agency_id
        if not rules.can_register(by):
            raise PermissionDenied(_("Chỉ cán bộ tiếp công dân, xử lý đơn được vào sổ đơn."))
    else:
        if agency is None or source != Source.ONLINE:
            raise PermissionDenied(_("Chỉ cán bộ tiếp công dân, xử lý đơn được vào sổ đơn."))
        agency_id = agency.pk
    if source not in Source.values:
        raise ValidationError(_("Nguồn đơn không hợp lệ."), code="bad_source")
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError(_("Ngày nhận đơn không được sau hôm nay."), code="future")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(_("Vui lòng nhập tóm tắt nội dung đơn."), code="no_summary")
    _check_contents(contents)
    if not people and not anonymous:
        raise ValidationError(
            _("Vui lòng nhập người đứng đơn, hoặc đánh dấu đơn không rõ họ tên, địa chỉ."), code="no_people"
        )
    if signer_count is not None and signer_count < max(len(people), 1):
        raise ValidationError(_("Số người đứng đơn không được ít hơn số người đã nhập."), code="signer_count")
    _check_representatives(people, signer_count or max(len(people), 1))
    if visit is not None and visit.agency_id != agency_id:
        raise ValidationError(_("Lượt tiếp không thuộc cơ quan này."), code="bad_visit")
    if incoming is not None and getattr(incoming, "agency_id", agency_id) != agency_id:
        raise ValidationError(_("Văn bản đến không thuộc cơ quan này."), code="bad_incoming")
    if decider is not None and not rules.is_decider(decider, agency_id):
        raise ValidationError(_("Người được chọn không có thẩm quyền giải quyết."), code="bad_decider")
    for item in contents:
        if item.previous is not None and item.previous.agency_id != agency_id:
            raise ValidationError(_("Vụ việc lần đầu không thuộc cơ quan này."), code="bad_previous")
    for upload in [*files, *papers]:
        _check_scan(upload)
    protected = bool(protected or any(p.protected for p in people))
    if protected:
        people = [dataclasses.replace(p, protected=True) for p in people]
    config = rules.settings_for(agency_id)
    with removed_on_error() as stored, transaction.atomic():
        letter = Letter.objects.create(
            agency_id=agency_id,
            year=received_on.year,
            number=next_number(
                agency_id=agency_id, register=RegisterCounter.Register.LETTERS, year=received_on.year
            ),
            received_on=received_on,
            received_by=by,
            source=source,
            source_org=(source_org or "").strip()[:255],
            source_reference=(source_reference or "").strip()[:100],
            incoming=incoming,
            visit=visit,
            summary=summary,
            signer_count=signer_count or max(len(people), 1),
            anonymous=anonymous,
            protected=protected,
            decider=decider,
        )
        if people:
            identities_add(people=people, by=by, letter=letter)
        for kind, uploads in ((LetterFile.Kind.LETTER, files), (LetterFile.Kind.PAPER, papers)):
            for upload in uploads:
                row = _file_store(letter=letter, upload=upload, kind=kind, by=by)
                stored.append(row.file.name)
        department_id = rules.department_id(agency_id, config)
        decider = decider or rules.default_decider(agency_id)
        for order, item in enumerate(contents, start=1):
            _new_case(
                letter=letter,
                order=order,
                item=item,
                by=by,
                department_id=department_id,
                decider=decider,
                remote=config.remote_area,
            )
    return letter


# ---- files ----------------------------------------------------------------------------------------------


def _file_store(*, letter: Letter, upload, kind: str, by: User | None) -> LetterFile:
    """Check ``upload`` by content and store it (encrypted for a protected letter's originals)."""
    scan_kind = _check_scan(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    encrypted = bool(letter.protected and kind != LetterFile.Kind.REDACTED)
    extension = _EXTENSIONS[scan_kind]
    if letter.protected:
        # The name a citizen gave the file may be their own: a protected letter keeps a neutral one.
        name = f"{kind}-{digest[:8]}.{extension}"
    else:
        name = (getattr(upload, "name", "") or f"{kind}.{extension}").strip()[-255:]
    row = LetterFile(
        letter=letter,
        kind=kind,
        name=name,
        content_type=_CONTENT_TYPES[scan_kind],
        size=len(data),
        sha256=digest,
        encrypted=encrypted,
        uploaded_by=by,
    )
    stored_name = f"{digest[:16]}.{extension}" + (".enc" if encrypted else "")
    row.file.save(stored_name, ContentFile(crypto.encrypt_bytes(data) if encrypted else data), save=False)
    row.save()
    return row


def letter_file_add(*, letter: Letter, upload, kind: str, by: User | None) -> LetterFile:
    """Add a scan to ``letter``: PDF, PNG or JPEG checked by content, its SHA-256 kept; a protected letter's
    original (anything but the REDACTED copy) is stored encrypted. ``by`` None: the online filing, while
    the letter has no receiving officer."""
    if kind not in LetterFile.Kind.values:
        raise ValidationError(_("Loại tệp không hợp lệ."), code="bad_kind")
    _check_scan(upload)
    with removed_on_error() as stored, transaction.atomic():
        if by is None:
            locked = Letter.objects.select_for_update().get(pk=letter.pk)
            if locked.source != Source.ONLINE or locked.received_by_id is not None:
                raise PermissionDenied(_("Bạn không có quyền thêm tệp vào đơn này."))
        else:
            locked = selectors.letter_access(user=by, pk=letter.pk, lock=True)
            if not rules.is_staff_of(by, locked.agency_id):
                raise PermissionDenied(_("Chỉ cán bộ tiếp công dân, xử lý đơn được thêm tệp vào đơn."))
        row = _file_store(letter=locked, upload=upload, kind=kind, by=by)
        stored.append(row.file.name)
        comment = _("Thêm tệp: %(kind)s") % {"kind": row.get_kind_display()}
        for case in locked.cases.all():
            case_history(case=case, by=by, action="letter_file", comment=comment, data={"file": row.pk})
    return row


def letter_take(*, letter: Letter, by: User) -> Letter:
    """An officer takes an online letter (no receiving officer yet): they become its receiving officer and
    that of its people (so entitled to read a protected identity), and the handler of its cases that have
    none."""
    with transaction.atomic():
        locked = selectors.letter_access(user=by, pk=letter.pk, lock=True)
        if not rules.is_officer(by, locked.agency_id):
            raise PermissionDenied(_("Chỉ cán bộ tiếp công dân, xử lý đơn được nhận xử lý đơn."))
        if locked.received_by_id is not None:
            raise ValidationError(_("Đơn đã có cán bộ nhận xử lý."), code="taken")
        locked.received_by = by
        locked.save(update_fields=["received_by"])
        Identity.objects.filter(letter=locked, received_by__isnull=True).update(received_by=by)
        cases = list(
            Case.objects.select_for_update().filter(letter=locked).select_related("letter").order_by("order")
        )
        for case in cases:
            if case.handler_id is None:
                case.handler = by
                case.save(update_fields=["handler"])
            case_history(
                case=case,
                by=by,
                action="handler",
                comment=_("Nhận xử lý đơn trực tuyến"),
                data={"handler": case.handler_id},
            )
            sync_clock(case, by=by)
    return locked


# ---- classification, splitting, duplicates ------------------------------------------------------------


def _locked_registered(case: Case | int, by: User) -> Case:
    locked = selectors.case_access(user=by, pk=case if isinstance(case, int) else case.pk, lock=True)
    if not rules.can_intake(by, locked):
        raise PermissionDenied(_("Bạn không có quyền xử lý đơn này."))
    if locked.state != CaseState.REGISTERED:
        raise ValidationError(_("Vụ việc đã có kết quả xử lý đơn."), code="not_registered")
    return locked


def case_classify(
    *,
    case: Case,
    by: User,
    kind: str,
    field: str,
    subject: str = "",
    processable: bool | None = None,
    not_processable_reason: str = "",
    competent: bool | None = None,
    competent_body: str = "",
    signer_count: int | None = None,
    act_known_on: date | None = None,
) -> Case:
    """Classify a registered case: its kind, field, subject; processable (with the legal reason when not);
    within competence (with the competent body when not); the letter's number of signers."""
    if kind not in CaseKind.values or field not in Field.values:
        raise ValidationError(_("Loại đơn hoặc lĩnh vực không hợp lệ."), code="bad_kind")
    if processable is False and not_processable_reason not in NotProcessable.values:
        raise ValidationError(_("Vui lòng chọn lý do đơn không đủ điều kiện xử lý."), code="no_reason")
    if processable is not False:
        not_processable_reason = ""
    competent_body = (competent_body or "").strip()
    if competent is False and not competent_body:
        raise ValidationError(_("Vui lòng ghi cơ quan có thẩm quyền giải quyết."), code="no_body")
    if signer_count is not None and signer_count < 1:
        raise ValidationError(_("Số người đứng đơn phải từ 1 trở lên."), code="signer_count")
    with transaction.atomic():
        locked = _locked_registered(case, by)
        if locked.instance == 2 and kind != CaseKind.COMPLAINT:
            raise ValidationError(_("Chỉ khiếu nại mới có giải quyết lần hai."), code="bad_instance")
        changed = []
        values = {
            "kind": kind,
            "field": field,
            "subject": (subject or "").strip()[:500],
            "processable": processable,
            "not_processable_reason": not_processable_reason,
            "competent": competent,
            "competent_body": competent_body[:255] if competent is False else "",
        }
        if act_known_on is not None:
            values["act_known_on"] = act_known_on
        for name, value in values.items():
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if changed:
            locked.save(update_fields=changed)
        if signer_count is not None and signer_count != locked.letter.signer_count:
            Letter.objects.filter(pk=locked.letter_id).update(signer_count=signer_count)
            locked.letter.signer_count = signer_count
            changed.append("signer_count")
        case_history(
            case=locked,
            by=by,
            action="classify",
            comment=_("%(kind)s — %(field)s")
            % {"kind": locked.get_kind_display(), "field": locked.get_field_display()},
            data={"fields": changed},
        )
        sync_clock(locked, by=by)
    return locked


def case_split(*, case: Case, by: User, contents: list[ContentInput]) -> list[Case]:
    """A letter with several contents: add one case per further content (same letter, next order); the
    original case keeps its own content."""
    _check_contents(list(contents))
    with transaction.atomic():
        locked = _locked_registered(case, by)
        letter = Letter.objects.select_for_update().get(pk=locked.letter_id)
        last = Case.objects.filter(letter=letter).order_by("-order").values_list("order", flat=True).first()
        config = rules.settings_for(letter.agency_id)
        created = []
        for offset, item in enumerate(contents, start=1):
            created.append(
                _new_case(
                    letter=letter,
                    order=(last or 0) + offset,
                    item=item,
                    by=by if rules.is_officer(by, letter.agency_id) else None,
                    department_id=locked.department_id,
                    decider=locked.decider,
                    remote=config.remote_area,
                )
            )
        case_history(
            case=locked,
            by=by,
            action="split",
            comment=_("Tách thành các vụ việc: %(codes)s") % {"codes": ", ".join(c.code for c in created)},
            data={"cases": [c.pk for c in created]},
        )
    return created


def duplicate_candidates(case: Case, *, limit: int = 10):
    """Earlier cases of the same person (``Identity.match_key``) with the same field, not duplicates
    themselves: the officer may link ``case`` to one of them. In SQL; no identity leaves the server."""
    keys = list(
        Identity.objects.filter(letter_id=case.letter_id)
        .exclude(match_key="")
        .values_list("match_key", flat=True)
    )
    if not keys:
        return Case.objects.none()
    return (
        Case.objects.filter(
            agency_id=case.agency_id,
            field=case.field,
            duplicate_of__isnull=True,
            letter__people__match_key__in=keys,
        )
        .exclude(letter_id=case.letter_id)
        .filter(Q(letter__received_on__lte=case.letter.received_on))
        .select_related("letter")
        .distinct()
        .order_by("-letter__received_on", "-pk")[:limit]
    )


def case_mark_duplicate(*, case: Case, of: Case, by: User, note: str = "") -> Case:
    """Link ``case`` to the earlier ``of`` (same person, same content) and keep it (state KEPT): it is never
    handled twice. ``of`` is followed to its own original."""
    with transaction.atomic():
        locked = _locked_registered(case, by)
        original = selectors.case_access(user=by, pk=of.pk if isinstance(of, Case) else of)
        while original.duplicate_of_id:
            original = original.duplicate_of
        if original.pk == locked.pk or original.letter_id == locked.letter_id:
            raise ValidationError(_("Không thể đánh dấu trùng với chính đơn này."), code="self")
        if original.agency_id != locked.agency_id:
            raise ValidationError(_("Vụ việc gốc không thuộc cơ quan này."), code="agency")
        locked.duplicate_of = original
        locked.outcome_reason = (note or "").strip() or _("Trùng đơn %(code)s") % {"code": original.code}
        locked.outcome_at = timezone.now()
        locked.save(update_fields=["duplicate_of", "outcome_reason", "outcome_at"])
        Letter.objects.filter(pk=locked.letter_id, duplicate_of__isnull=True).update(
            duplicate_of=original.letter_id
        )
        case_history(
            case=locked,
            by=by,
            action="duplicate",
            comment=_("Trùng vụ việc %(code)s") % {"code": original.code},
            data={"of": original.pk},
        )
        wf.record_transition(record=locked, action="keep", by=by, comment=locked.outcome_reason)
        locked.refresh_from_db()
        sync_clock(locked, by=by)
        case_history(
            case=original,
            by=by,
            action="duplicate",
            comment=_("Có đơn trùng: %(code)s") % {"code": locked.code},
            data={"duplicate": locked.pk},
        )
    return locked

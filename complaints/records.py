"""Complaint cases (vụ việc) as records a case file holds (kind "complaint", Phụ lục VI of Decree 30):
registered in ``ComplaintsConfig.ready`` through ``register_all``. The unit of work is the ``Case``: one
content of a letter, handled, decided and closed on its own.

Identity protection comes first. A case file is read by more people than the case (the unit, the archive),
so what it keeps of a case never names the person behind the letter:
- the snapshot is built from the case's own fields (its code, kind, content, dates, the agency) and never
  reads an ``Identity``;
- of a protected case (or a protected letter) the file gets the letter's *redacted* copies only (the latest
  of each original, ``LetterFile.Kind.REDACTED``), never the encrypted originals, and not the evidence the
  parties handed in (``CaseStep.Kind.EVIDENCE``); an original without a redacted copy is left out;
- the documents drafted from the case come from forms whose context never holds a protected identity
  (``services.drafting.form_context``).

Who may file a case: those who work on it — the agency's reception officers and deciders
(``rules.is_staff_of``), its handler, the head of the resolving unit, the lead verifier
(``rules.can_resolve``). The other members of a verification team see the case but do not file it: for
them ``access`` answers 404 and ``visible_ids`` leaves the case out.

Files, in the order they were made: the letter's scans (or their redacted copies), the case file's papers
(verification plan, evidence, reports, dialogue minutes …), the issued decisions and notices (the signed
PDF of each outgoing document drafted from the case).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from documents.records import kinds
from eoffice.models import Role, User

from . import rules, selectors
from .models import INTAKE_EXITS, Case, CaseKind, CaseMember, CaseState, CaseStep, LetterFile

KEY = "complaint"
ENDED_STATES = (CaseState.CLOSED, CaseState.STOPPED, CaseState.WITHDRAWN)
"""A case in one of these has ended: the "file this" block is the page's next step."""
TYPE_NAMES = {
    CaseKind.COMPLAINT: _("Hồ sơ giải quyết khiếu nại"),
    CaseKind.DENUNCIATION: _("Hồ sơ giải quyết tố cáo"),
    CaseKind.PETITION: _("Hồ sơ xử lý kiến nghị, phản ánh"),
    CaseKind.FEEDBACK: _("Hồ sơ xử lý kiến nghị, phản ánh"),
}
INTAKE_TYPE_NAME = _("Hồ sơ xử lý đơn")


# ---- who may file ------------------------------------------------------------------------------------


def may_file(user: User, case: Case) -> bool:
    """Whether ``user`` (who sees the case) may put it in a case file: its agency's officers and deciders,
    and whoever resolves it."""
    return rules.is_staff_of(user, case.agency_id) or rules.can_resolve(user, case)


def _fileable_q(user: User) -> Q:
    """``may_file`` as a filter, inside ``rules.visible_q`` (one query with it)."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id or not user.is_active:
        return Q(pk__in=[])
    if rules.is_staff_of(user):
        return Q()
    works = (
        Q(handler_id=user.pk)
        | Q(decider_id=user.pk)
        | Exists(
            CaseMember.objects.filter(
                case_id=OuterRef("pk"), user_id=user.pk, removed_at__isnull=True, role=CaseMember.Role.LEAD
            )
        )
    )
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        works |= Q(department_id=user.department_id)
    return works


def access(user: User, pk: int) -> Case:
    """The case, for those who see it and may file it; the same 404 otherwise."""
    case = selectors.case_access(user=user, pk=pk)
    if not may_file(user, case):
        raise Http404
    return case


def visible_ids(user: User, ids: Iterable[int]) -> set[int]:
    return set(
        selectors.visible_cases(user).filter(_fileable_q(user), pk__in=list(ids)).values_list("pk", flat=True)
    )


# ---- files -------------------------------------------------------------------------------------------


def is_protected(case: Case) -> bool:
    return bool(case.protected or case.letter.protected)


def _letter_reader(row: LetterFile):
    from .services import file_bytes

    return lambda: file_bytes(row)


def _letter_files(case: Case) -> list[LetterFile]:
    """The letter's scans the file may keep: the originals of an unprotected case; the latest redacted copy
    of each original of a protected one."""
    rows = list(case.letter.files.order_by("created_at", "pk"))
    if not is_protected(case):
        return [row for row in rows if row.kind != LetterFile.Kind.REDACTED]
    latest: dict[int, LetterFile] = {}
    for row in rows:
        if row.kind == LetterFile.Kind.REDACTED:
            latest[row.redacted_from_id or -row.pk] = row  # rows ascend: the last one wins
    return sorted(latest.values(), key=lambda row: (row.created_at, row.pk))


def _steps(case: Case) -> list[CaseStep]:
    steps = case.steps.exclude(file="").order_by("created_at", "pk")
    if is_protected(case):
        steps = steps.exclude(kind=CaseStep.Kind.EVIDENCE)
    return list(steps)


def _documents(case: Case) -> list[tuple]:
    """The issued decisions and notices: (the case document, its issued version)."""
    rows = []
    for row in (
        case.documents.filter(document__isnull=False, document__issued_at__isnull=False)
        .select_related("document")
        .prefetch_related("document__versions")
        .order_by("document__issued_at", "pk")
    ):
        version = kinds.final_version(row.document)
        if version is not None:
            rows.append((row, version))
    return rows


def _entries(case: Case) -> list[tuple[dt.datetime, int, kinds.RecordFile]]:
    entries = []
    for n, row in enumerate(_letter_files(case), start=1):
        caption = row.get_kind_display()
        entries.append(
            (
                row.created_at,
                0,
                kinds.RecordFile(
                    name=f"don-{n:02d}{kinds.file_extension(row.name, row.content_type)}",
                    read=_letter_reader(row),
                    content_type=row.content_type or "application/octet-stream",
                    caption=str(caption),
                    sha256=row.sha256,
                ),
            )
        )
    for n, step in enumerate(_steps(case), start=1):
        name = step.file_name or step.file.name
        entries.append(
            (
                step.created_at,
                1,
                kinds.RecordFile(
                    name=f"tai-lieu-{n:02d}{kinds.file_extension(name)}",
                    read=kinds.field_reader(step.file),
                    content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                    caption=f"{step.get_kind_display()}: {step.title}",
                    sha256=step.sha256,
                ),
            )
        )
    for row, version in _documents(case):
        document = row.document
        symbol = document.number_symbol or ""
        caption = row.get_form_display() + (f" số {symbol}" if symbol else "")
        slug = kinds.file_slug(symbol, f"van-ban-{document.pk}")
        entries.append(
            (
                document.issued_at,
                2,
                kinds.RecordFile(
                    name=f"{slug}.pdf",
                    read=kinds.field_reader(version.file),
                    caption=caption,
                    sha256=version.sha256,
                ),
            )
        )
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    return entries


def files(case: Case) -> list[kinds.RecordFile]:
    return [entry[2] for entry in _entries(case)]


# ---- metadata ----------------------------------------------------------------------------------------


def type_name(case: Case) -> str:
    if case.state in INTAKE_EXITS or (case.state == CaseState.CLOSED and case.outcome not in ("", "accept")):
        return str(INTAKE_TYPE_NAME)
    return str(TYPE_NAMES.get(case.kind, INTAKE_TYPE_NAME))


def snapshot(case: Case) -> kinds.Snapshot:
    """Phần II of the case: built from the case's own fields only (never an identity)."""
    letter = case.letter
    received = letter.received_on
    notes = [
        gettext("Đơn số %(number)s/%(year)s") % {"number": letter.number, "year": letter.year},
        str(case.get_state_display()),
    ]
    if case.result_summary:
        notes.append(case.result_summary)
    if is_protected(case):
        notes.append(gettext("Giữ bí mật người tố cáo"))
    return kinds.Snapshot(
        sort_date=timezone.make_aware(dt.datetime.combine(received, dt.time.min)),
        subject=f"{case.get_kind_display()}: {case.content}",
        type_name=type_name(case),
        code_notation=case.code,
        issued_date=received,
        organ_name=case.agency.name,
        page_amount=kinds.pages_of(kinds.record_file_pages(f) for f in files(case)),
        description="; ".join(notes),
    )


def url(case: Case) -> str:
    return case.get_absolute_url()


def ended(case: Case) -> bool:
    return case.state in ENDED_STATES


def file_this(*, user: User, case: Case) -> dict | None:
    """The context of the "file this" block of the case page, for those who may file the case (None for
    the others: the page shows no block)."""
    if not may_file(user, case):
        return None
    return kinds.file_this_block(user=user, kind=KEY, record=case, ended=ended(case))


def register_all() -> None:
    kinds.register(
        kinds.FileableKind(
            key=KEY,
            label=_("Hồ sơ khiếu nại, tố cáo"),
            model=Case,
            access=access,
            visible_ids=visible_ids,
            snapshot=snapshot,
            files=files,
            url=url,
            agency_id=lambda case: case.agency_id,
        )
    )

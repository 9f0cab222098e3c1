"""Case files (hồ sơ) as a source of the search page (Phụ lục VI III.6d): found by every field of Phần II
Mục III the product keeps — number and symbol (số và ký hiệu hồ sơ: the "number" field or a word), title,
description, year, retention, usage rights, the person who keeps it, status, the time the work ran (opened
→ closed, overlapping the date range) and custom fields — and by the subject of the papers uploaded to it
(kind "paper"). Linked records (incoming, outgoing…) are found as themselves; the "case file" filter asks
for the documents a file holds, so it leaves the files themselves out.

Visibility is ``documents.records.access.visible_case_files`` inside the query (another agency, or an
officer the rules do not let in, finds nothing). Case files have no full-text index: every folded word must
be in the file's folded code, title, description or keeper's name, or every word in one paper's subject.
They rank after documents matched strongly in their metadata (rank 0.5 for a match in the file itself, 0.2
for one in a paper's subject)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat, TruncDate
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.search.sources import (
    COLUMNS,
    Criteria,
    SearchResult,
    SearchSource,
    contains_words,
    register,
    sql_fold,
)

KIND = "casefile"
PAPER = "paper"
MAX_WORDS = 8


def _words(criteria: Criteria) -> list[str]:
    return (
        [token for token, _prefix in criteria.query.terms][:MAX_WORDS] if criteria.query is not None else []
    )


def _file_text():
    return sql_fold(
        Concat(F("code"), Value(" "), F("title"), Value(" "), F("description"), output_field=CharField())
    )


def _file_words_q(words: Sequence[str]) -> Q:
    text = _file_text()
    q = Q()
    for word in words:
        q &= Q(Contains(text, word)) | Q(owner__search_name__contains=word)
    return q


def _papers(words: Sequence[str]):
    """The file's uploaded papers whose subject holds every word."""
    from documents.records.models import CaseFileItem

    q = Q()
    subject = sql_fold(F("subject"))
    for word in words:
        q &= Q(Contains(subject, word))
    return CaseFileItem.objects.filter(q, case_file_id=OuterRef("pk"), kind=PAPER)


def _rows(user, criteria: Criteria) -> QuerySet | None:
    from documents.records.access import visible_case_files
    from documents.records.models import CustomFieldValue

    state = criteria.state_for(KIND)
    if state is None or (criteria.kind and criteria.kind != KIND):
        return None
    # Criteria of documents only: no case file matches them.
    if criteria.signer or criteria.doc_type_id or criteria.text_status:
        return None
    if any(
        [
            criteria.arrival_number is not None,
            criteria.urgency is not None,
            criteria.secrecy is not None,
            criteria.recipient,
            criteria.due_from,
            criteria.due_to,
            criteria.identifier,
            criteria.case_file,  # "the case file holding the document": the documents are asked for
        ]
    ):
        return None
    qs = visible_case_files(user)
    if state:
        qs = qs.filter(status=state)
    if criteria.number:
        qs = qs.filter(code__istartswith=criteria.number.strip())
    if criteria.issuer:
        qs = qs.filter(contains_words("agency__name", criteria.issuer))
    if criteria.file_year is not None:
        qs = qs.filter(year=criteria.file_year)
    if criteria.retention:
        qs = qs.filter(retention=criteria.retention)
    if criteria.rights:
        qs = qs.filter(rights=criteria.rights)
    if criteria.owner:
        from eoffice.search import fold

        for word in fold(criteria.owner).split():
            qs = qs.filter(owner__search_name__contains=word)
    tz = timezone.get_current_timezone()
    if criteria.date_to:  # the work ran during the range: opened before its end …
        qs = qs.filter(opened_at__lte=datetime.combine(criteria.date_to, time.max, tzinfo=tz))
    if criteria.date_from:  # … and not closed before its start
        start = datetime.combine(criteria.date_from, time.min, tzinfo=tz)
        qs = qs.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    if criteria.custom_field_id:
        values = CustomFieldValue.objects.filter(
            field_id=criteria.custom_field_id,
            field__kind=KIND,
            field__agency_id=user.agency_id,
            object_id=OuterRef("pk"),
        )
        if criteria.custom_value:
            values = values.filter(contains_words("value", criteria.custom_value))
        qs = qs.filter(Exists(values))
    rank = Value(0.0, output_field=FloatField())
    words = _words(criteria)
    if words:
        in_file = _file_words_q(words)
        qs = qs.filter(in_file | Exists(_papers(words)))
        rank = Case(
            When(in_file, then=Value(0.5)),
            default=Value(0.2),
            output_field=FloatField(),
        )
    return (
        qs.order_by()
        .annotate(
            kind=Value(KIND, output_field=CharField()),
            oid=F("pk"),
            meta_hit=Value(True, output_field=BooleanField()),
            rank=rank,
            doc_date=TruncDate("opened_at"),
        )
        .values(*COLUMNS)
    )


def _load(user, pks: Sequence[int]) -> dict[int, SearchResult]:
    from documents.records.access import visible_case_files

    rows = visible_case_files(user).filter(pk__in=list(pks)).select_related("agency", "department", "owner")
    label = _("Hồ sơ")
    return {
        cf.pk: SearchResult(
            kind=KIND,
            kind_label=label,
            pk=cf.pk,
            url=cf.get_absolute_url(),
            number_symbol=cf.code,
            date=timezone.localtime(cf.opened_at).date(),
            issuer=cf.department.name if cf.department_id else cf.agency.name,
            summary=f"{cf.title} — {cf.description}" if cf.description else cf.title,
            signer="",
            doc_type=str(label),
            state_label=cf.get_status_display(),
            text_status="",
            file_year=cf.year,
            retention_label=str(cf.get_retention_display()),
            rights_label=str(cf.get_rights_display()),
            owner_name=cf.owner.full_name,
            doc_total=cf.doc_total,
            end_date=timezone.localtime(cf.closed_at).date() if cf.closed_at else None,
        )
        for cf in rows
    }


def paper_hits(results: Sequence[SearchResult], terms) -> None:
    """For the page's case files, the subjects of their papers every word is in (one query)."""
    from documents.records.models import CaseFileItem

    pks = [r.pk for r in results if r.kind == KIND]
    words = [token for token, _prefix in terms][:MAX_WORDS]
    if not pks or not words:
        return
    q = Q()
    subject = sql_fold(F("subject"))
    for word in words:
        q &= Q(Contains(subject, word))
    found: dict[int, list[str]] = {}
    for case_file_id, text in (
        CaseFileItem.objects.filter(q, case_file_id__in=pks, kind=PAPER)
        .order_by("case_file_id", "ordinal")
        .values_list("case_file_id", "subject")
    ):
        found.setdefault(case_file_id, []).append(text)
    for r in results:
        if r.kind == KIND:
            r.paper_hits = found.get(r.pk, [])[:3]


def register_source() -> None:
    from documents.records.models import CaseFile

    register(
        SearchSource(
            kind=KIND,
            label=_("Hồ sơ"),
            model=CaseFile,
            queryset=_rows,
            load=_load,
            states=tuple((str(k), v) for k, v in CaseFile.Status.choices),
            order=30,
            metadata=True,
            hits=paper_hits,
        )
    )

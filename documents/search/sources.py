"""What the search page searches: a registry of sources, one per kind of record.

A source gives, for a user and the criteria, a *values* queryset of its visible matching records with the
common columns (``kind``, ``oid``, ``meta_hit``, ``rank``, ``doc_date``; built by ``common_columns``), and
loads a page of its records as ``SearchResult``. The search combines every source with ``UNION ALL`` in one
SQL query (ranked, paginated) and counts with one more; then one query per kind loads the page.

Later modules (one-stop dossiers, petitions) add a kind with ``register(SearchSource(...))``; their model
needs the columns of ``documents.models.FullTextMixin``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.contrib.postgres.search import SearchRank
from django.db import models
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Lower, NullIf, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.search.query import ParsedQuery, symbol_pattern, symbol_prefilter
from eoffice.search import fold

# Weights of ts_rank_cd for D, C, B, A: the metadata (A) counts far more than the PDF text (B).
RANK_WEIGHTS = [0.05, 0.1, 0.2, 1.0]
# Ranking by relevance reads every match; a word found in tens of thousands of documents of a province
# would make that a second's work. The ranking therefore covers the most recent RANK_WINDOW matches of each
# kind (found newest first from the agency's date index); the page says so when the window is full.
RANK_WINDOW = 500
COLUMNS = ("kind", "oid", "meta_hit", "rank", "doc_date")


@dataclass(frozen=True)
class Criteria:
    """What the person asks for (the search form's cleaned data)."""

    query: ParsedQuery | None = None
    number: str = ""  # the start of a number and symbol, as typed ("123/QĐ"; see number_q)
    issuer: str = ""
    signer: str = ""
    date_from: date | None = None
    date_to: date | None = None
    doc_type_id: int | None = None
    kind: str = ""
    state: str = ""  # "<kind>:<state>"
    text_status: str = ""
    sort: str = ""  # "" (relevance), "newest", "oldest", "kind"
    # The metadata of NĐ 30 Phụ lục VI Phần II (only sources with ``metadata=True`` understand them).
    case_file: str = ""  # words of a case file's number and symbol or title
    arrival_number: int | None = None
    urgency: int | None = None
    secrecy: int | None = None
    recipient: str = ""
    due_from: date | None = None
    due_to: date | None = None
    identifier: str = ""
    custom_field_id: int | None = None
    custom_value: str = ""
    # The case files' own fields (Phần II Mục III; only the case file source matches them).
    file_year: int | None = None
    retention: str = ""
    rights: str = ""
    owner: str = ""  # words of the name of the person who keeps the file (người lập hồ sơ)

    @property
    def has_file_fields(self) -> bool:
        """A filter of case files only is set: documents cannot match."""
        return any([self.file_year is not None, self.retention, self.rights, self.owner])

    @property
    def has_metadata(self) -> bool:
        """A Phần II filter is set: sources of other records (complaint cases…) cannot match."""
        return any(
            [
                self.has_file_fields,
                self.case_file,
                self.arrival_number is not None,
                self.urgency is not None,
                self.secrecy is not None,
                self.recipient,
                self.due_from,
                self.due_to,
                self.identifier,
                self.custom_field_id,
            ]
        )

    @property
    def is_empty(self) -> bool:
        return not self.has_metadata and not any(
            [
                self.query,
                self.number,
                self.issuer,
                self.signer,
                self.date_from,
                self.date_to,
                self.doc_type_id,
                self.state,
                self.text_status,
            ]
        )

    def state_for(self, kind: str) -> str | None:
        """The state asked for this kind; None when the state belongs to another kind (no match)."""
        if not self.state:
            return ""
        state_kind, _sep, state = self.state.partition(":")
        return state if state_kind == kind else None


@dataclass
class SearchResult:
    """One row of the results page and of the Excel export."""

    kind: str
    kind_label: Any
    pk: int
    url: str
    number_symbol: str
    date: date | None
    issuer: str
    summary: str
    signer: str
    doc_type: str
    state_label: Any
    text_status: str
    recalled: bool = False
    secret_label: str = ""
    urgency_label: str = ""
    meta_hit: bool = True
    rank: float = 0.0
    # Phần II metadata for the chosen columns (``documents.search.columns``).
    identifier: str = ""
    arrival_number: str = ""
    arrival_date: date | None = None
    due_date: date | None = None
    page_amount: int | None = None
    recipients: list = field(default_factory=list)
    case_files: list = field(default_factory=list)
    # A case file's own fields (Phần II Mục III), for its card and the chosen columns.
    file_year: int | None = None
    retention_label: str = ""
    rights_label: str = ""
    owner_name: str = ""
    doc_total: int | None = None
    end_date: date | None = None
    paper_hits: list = field(default_factory=list)  # subjects of its uploaded papers the words matched
    # Filled by the search: highlighted pieces.
    number_html: str = ""
    summary_html: str = ""
    issuer_html: str = ""
    doc_type_html: str = ""
    snippet_html: str = ""

    @property
    def scanned(self) -> bool:
        from documents.models import TextStatus

        return self.text_status == TextStatus.SCANNED


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: Any
    model: type[models.Model]
    # (user, criteria) -> a values queryset with COLUMNS (common_columns), or None: nothing can match.
    queryset: Callable[[Any, Criteria], QuerySet | None]
    # (user, pks) -> {pk: SearchResult}: one query.
    load: Callable[[Any, Sequence[int]], dict[int, SearchResult]]
    states: Sequence[tuple[str, Any]] = field(default_factory=tuple)
    order: int = 100
    # Whether the source filters on the Phần II metadata (``Criteria.has_metadata``); one that does not is
    # left out of a search that sets such a filter.
    metadata: bool = False
    # (results, terms) -> None: marks on the page's results what the words matched (one query), optional.
    hits: Callable[[Sequence[SearchResult], Any], None] | None = None


_SOURCES: dict[str, SearchSource] = {}


def register(source: SearchSource) -> SearchSource:
    _SOURCES[source.kind] = source
    return source


def sources() -> list[SearchSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.kind))


def get(kind: str) -> SearchSource | None:
    return _SOURCES.get(kind)


# --- helpers for sources ---------------------------------------------------------------------------------

# Vietnamese letters with their marks, both cases, and what folding makes of them: ``sql_fold`` folds in
# SQL, with built-in functions only (no unaccent extension), for short columns not folded in Python.
_VI = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_VI_FROM = _VI + _VI.upper()
_VI_TO = fold(_VI) * 2
_COMBINING = "[\u0300-\u036f]"


def sql_fold(expression) -> Func:
    """``fold()`` in SQL: drop combining marks, map the precomposed Vietnamese letters, lower case."""
    stripped = Func(
        expression,
        Value(_COMBINING),
        Value(""),
        Value("g"),
        function="regexp_replace",
        output_field=CharField(),
    )
    return Lower(
        Func(stripped, Value(_VI_FROM), Value(_VI_TO), function="translate", output_field=CharField())
    )


def contains_words(expression, text: str) -> Q:
    """Every folded word of ``text`` inside the folded ``expression`` (a lookup name or an expression)."""
    return _words_q(sql_fold(F(expression) if isinstance(expression, str) else expression), text)


def _words_q(folded_expression, text: str) -> Q:
    from django.db.models.lookups import Contains

    q = Q()
    for word in fold(text).split():
        q &= Q(Contains(folded_expression, word))
    return q


def number_q(text: str) -> Q:
    """Number and symbol starting with ``text``: found through the search index, checked on the column."""
    prefilter = symbol_prefilter(text)
    pattern = symbol_pattern(text)
    if prefilter is None or pattern is None:
        return Q(pk__in=[])
    return Q(search_vector=prefilter) & symbol_q("number_symbol", pattern)


def symbol_q(field_name: str, pattern: str) -> Q:
    from django.db.models.lookups import Regex

    return Q(Regex(sql_fold(F(field_name)), pattern))


def day_range(field_name: str, date_from: date | None, date_to: date | None, *, aware: bool) -> Q:
    """``field_name`` within the days (a date column, or a datetime column in local days when ``aware``)."""
    q = Q()
    tz = timezone.get_current_timezone()
    if date_from:
        value = datetime.combine(date_from, time.min, tzinfo=tz) if aware else date_from
        q &= Q(**{f"{field_name}__gte": value})
    if date_to:
        value = datetime.combine(date_to, time.max, tzinfo=tz) if aware else date_to
        q &= Q(**{f"{field_name}__lte": value})
    return q


class TsMatch(Func):
    """``vector @@ query`` written as the function behind the operator: the same test, but PostgreSQL cannot
    answer it from the GIN index, so it checks the rows its other filters found (see ``words_q``)."""

    function = "ts_match_vq"
    output_field = BooleanField()


def words_q(query: ParsedQuery, *, scan: bool = False) -> Q:
    """The words' filter; ``scan``: checked row by row instead of read from the GIN index."""
    if scan:
        return Q(TsMatch(F("search_vector"), query.search_query()))
    return Q(search_vector=query.search_query())


def common_filters(qs: QuerySet, criteria: Criteria, kind: str, *, scan: bool = False) -> QuerySet | None:
    """The criteria every source shares: text, document type, state, text status (None: no match).
    ``scan``: the caller's filters leave few rows, check the words on them (``words_q``)."""
    state = criteria.state_for(kind)
    if state is None or (criteria.kind and criteria.kind != kind):
        return None
    if criteria.query is not None:
        qs = qs.filter(words_q(criteria.query, scan=scan))
    if criteria.doc_type_id:
        qs = qs.filter(doc_type_id=criteria.doc_type_id)
    if state:
        qs = qs.filter(state=state)
    if criteria.text_status:
        qs = qs.filter(text_status=criteria.text_status)
    return qs


def common_columns(qs: QuerySet, *, kind: str, criteria: Criteria, doc_date, recency) -> QuerySet:
    """The columns every source gives to the UNION, in the same order: kind, id, whether every word is in
    the metadata, the rank, the date the results are sorted by. Ranked searches keep the RANK_WINDOW most
    recent matches (``recency``: an indexed column, newest first)."""
    if criteria.query is not None:
        query = criteria.query.search_query()
        meta_hit = ExpressionWrapper(
            Q(search_vector=criteria.query.search_query("A")), output_field=BooleanField()
        )
        rank = SearchRank(
            F("search_vector"), query, weights=RANK_WEIGHTS, cover_density=True, normalization=Value(32)
        )
    else:
        meta_hit = Value(True, output_field=BooleanField())
        rank = Value(0.0, output_field=models.FloatField())
    windowed = criteria.query is not None and not criteria.sort
    if windowed:
        # The window is taken first (ids only), then only its rows are ranked: ranking every match before
        # keeping the most recent would compute ts_rank_cd for thousands of rows to keep 500.
        newest = qs.order_by(F(recency).desc(), "-pk").values("pk")[:RANK_WINDOW]
        qs = qs.model._default_manager.filter(pk__in=newest)
    qs = (
        qs.order_by()
        .annotate(
            kind=Value(kind, output_field=CharField()),
            oid=F("pk"),
            meta_hit=meta_hit,
            rank=rank,
            doc_date=doc_date,
        )
        .values(*COLUMNS)
    )
    return qs


# --- incoming and outgoing documents ---------------------------------------------------------------------


# Up to this many documents of the agency with the type and in the dates asked, the words are checked on
# them rather than read from the GIN index: a word found in tens of thousands of documents ("so", "doi")
# makes the index's bitmap cost ~10 ms at 1M, while the type-and-dates index (incoming_type_issued_idx)
# hands over a few hundred rows checked in ~1 ms. PostgreSQL underestimates such a bitmap (it takes the
# words as independent) and ANDs it with the other index anyway.
SCAN_LIMIT = 2000


def _few_by_type_and_dates(user, criteria: Criteria) -> bool:
    """Whether the agency has at most SCAN_LIMIT incoming documents of the type and dates asked (one
    index-only count, stopped at the limit); False when neither is asked."""
    from documents.models import IncomingDocument

    if criteria.query is None or not user.agency_id:
        return False
    if not criteria.doc_type_id and not (criteria.date_from or criteria.date_to):
        return False
    qs = IncomingDocument.objects.filter(agency_id=user.agency_id).filter(
        day_range("issued_date", criteria.date_from, criteria.date_to, aware=False)
    )
    if criteria.doc_type_id:
        qs = qs.filter(doc_type_id=criteria.doc_type_id)
    return qs.order_by().values("pk")[: SCAN_LIMIT + 1].count() <= SCAN_LIMIT


def _incoming_rows(user, criteria: Criteria) -> QuerySet | None:
    from documents.incoming.selectors import visible_q
    from documents.models import IncomingDocument

    if criteria.kind and criteria.kind != "incoming":
        return None
    scan = _few_by_type_and_dates(user, criteria)
    qs = common_filters(IncomingDocument.objects.filter(visible_q(user)), criteria, "incoming", scan=scan)
    if qs is None:
        return None
    if criteria.number:
        qs = qs.filter(number_q(criteria.number))
    if criteria.issuer:
        qs = qs.filter(contains_words("issuer_name", criteria.issuer))
    if criteria.signer:
        qs = qs.filter(contains_words("signer_name", criteria.signer))
    qs = qs.filter(day_range("issued_date", criteria.date_from, criteria.date_to, aware=False))
    qs = metadata_filters(qs, criteria, kind="incoming", user=user)
    if qs is None:
        return None
    return common_columns(
        qs, kind="incoming", criteria=criteria, doc_date=F("issued_date"), recency="received_at"
    )


_DEFERRED = ("text_content", "text_folded", "search_vector", "search_text")


def incoming_identifier_sql():
    """An incoming document's identifier: the DocumentId it came with over the axis, else the identifier of
    the outgoing document delivered inside the installation; '' for a paper one."""
    from documents.records.metadata.identifier import identifier_sql

    return Coalesce(
        NullIf(F("exchange_inbox__document_id"), Value("")),
        NullIf(identifier_sql("source_recipient__document__"), Value("")),
        Value(""),
        output_field=CharField(),
    )


def metadata_filters(qs: QuerySet, criteria: Criteria, *, kind: str, user) -> QuerySet | None:
    """The Phần II metadata filters, in SQL (None: this kind cannot match, e.g. an arrival number asked
    of outgoing documents)."""
    from documents.records.metadata.identifier import identifier_sql
    from documents.records.models import CaseFileItem, CustomFieldValue

    incoming = kind == "incoming"
    if criteria.has_file_fields:
        return None  # year, retention, usage rights, keeper: fields of case files
    if not incoming and (criteria.arrival_number is not None or criteria.due_from or criteria.due_to):
        return None  # an outgoing document has no arrival number and no deadline
    if incoming and criteria.recipient:
        return None  # "nơi nhận" is a field of outgoing documents
    if criteria.arrival_number is not None:
        qs = qs.filter(number=criteria.arrival_number)
    if criteria.urgency is not None:
        qs = qs.filter(urgency=criteria.urgency)
    if criteria.secrecy is not None:
        qs = qs.filter(confidentiality=criteria.secrecy)
    if criteria.due_from or criteria.due_to:
        qs = qs.filter(day_range("due_at", criteria.due_from, criteria.due_to, aware=True))
    if criteria.identifier:
        expression = incoming_identifier_sql() if incoming else identifier_sql()
        qs = qs.alias(doc_identifier=expression).filter(doc_identifier__icontains=criteria.identifier.strip())
    if criteria.recipient:
        from documents.outgoing.models import OutgoingRecipient

        named = OutgoingRecipient.objects.filter(
            contains_words(F("name"), criteria.recipient), document_id=OuterRef("pk")
        )
        qs = qs.filter(Exists(named) | contains_words("distribution", criteria.recipient))
    if criteria.case_file:
        files = CaseFileItem.objects.filter(
            kind=kind, object_id=OuterRef("pk"), case_file__agency_id=user.agency_id
        ).filter(
            Q(case_file__code__istartswith=criteria.case_file.strip())
            | contains_words("case_file__title", criteria.case_file)
        )
        qs = qs.filter(Exists(files))
    if criteria.custom_field_id:
        values = CustomFieldValue.objects.filter(
            field_id=criteria.custom_field_id,
            field__kind=kind,
            field__agency_id=user.agency_id,
            object_id=OuterRef("pk"),
        )
        if criteria.custom_value:
            values = values.filter(contains_words("value", criteria.custom_value))
        qs = qs.filter(Exists(values))
    return qs


def _incoming_load(user, pks: Sequence[int]) -> dict[int, SearchResult]:
    from documents.incoming.selectors import visible_q
    from documents.models import IncomingDocument

    rows = (
        IncomingDocument.objects.filter(visible_q(user), pk__in=list(pks))
        .select_related("doc_type")
        .defer(*_DEFERRED, "signature_report")
        .annotate(doc_identifier=incoming_identifier_sql())
    )
    label = _("Văn bản đến")
    return {
        doc.pk: SearchResult(
            kind="incoming",
            kind_label=label,
            pk=doc.pk,
            url=doc.get_absolute_url(),
            number_symbol=doc.number_symbol,
            date=doc.issued_date,
            issuer=doc.issuer_name,
            summary=doc.summary,
            signer=doc.signer_name,
            doc_type=doc.doc_type.name,
            state_label=doc.state_label,
            text_status=doc.text_status,
            recalled=doc.recalled_at is not None,
            secret_label=doc.get_confidentiality_display() if doc.confidentiality else "",
            urgency_label=doc.get_urgency_display() if doc.urgency else "",
            identifier=doc.doc_identifier,
            arrival_number=doc.number_display if doc.number else "",
            arrival_date=timezone.localtime(doc.received_at).date() if doc.received_at else None,
            due_date=timezone.localtime(doc.due_at).date() if doc.due_at else None,
            page_amount=doc.page_count,
        )
        for doc in rows
    }


def _outgoing_rows(user, criteria: Criteria) -> QuerySet | None:
    from documents.outgoing.models import OutgoingDocument
    from documents.outgoing.selectors import visible_q

    qs = common_filters(OutgoingDocument.objects.filter(visible_q(user)), criteria, "outgoing")
    if qs is None:
        return None
    if criteria.number:
        qs = qs.filter(number_q(criteria.number))
    if criteria.issuer:
        # The issuing agency of an outgoing document is the agency itself.
        qs = qs.filter(contains_words("agency__name", criteria.issuer))
    if criteria.signer:
        for word in fold(criteria.signer).split():
            qs = qs.filter(signer__search_name__contains=word)
    qs = qs.filter(day_range("issued_at", criteria.date_from, criteria.date_to, aware=True))
    qs = metadata_filters(qs, criteria, kind="outgoing", user=user)
    if qs is None:
        return None
    doc_date = Coalesce(TruncDate("issued_at"), TruncDate("created_at"))
    return common_columns(qs, kind="outgoing", criteria=criteria, doc_date=doc_date, recency="created_at")


def _outgoing_load(user, pks: Sequence[int]) -> dict[int, SearchResult]:
    from documents.outgoing.models import OutgoingDocument
    from documents.outgoing.selectors import visible_q
    from documents.records.metadata.identifier import identifier_of
    from workflow.models import WorkflowState

    rows = (
        OutgoingDocument.objects.filter(visible_q(user), pk__in=list(pks))
        .select_related("doc_type", "agency", "signer")
        .defer(*_DEFERRED, "body", "legal_bases")
    )
    label = _("Văn bản đi")
    return {
        doc.pk: SearchResult(
            kind="outgoing",
            kind_label=label,
            pk=doc.pk,
            url=doc.get_absolute_url(),
            number_symbol=doc.number_symbol,
            date=timezone.localtime(doc.issued_at).date() if doc.issued_at else None,
            issuer=doc.agency.name,
            summary=doc.summary,
            signer=doc.signer.full_name if doc.signer_id else "",
            doc_type=doc.doc_type.name,
            state_label=doc.state_label,
            text_status=doc.text_status,
            recalled=doc.state == WorkflowState.RECALLED,
            secret_label=doc.get_confidentiality_display() if doc.confidentiality else "",
            urgency_label=doc.get_urgency_display() if doc.urgency else "",
            identifier=identifier_of(doc),
            recipients=[line.strip() for line in doc.distribution.splitlines() if line.strip()],
        )
        for doc in rows
    }


def register_documents() -> None:
    from documents.models import INCOMING_STATE_LABELS, IncomingDocument
    from documents.outgoing.models import OUTGOING_STATE_LABELS, OutgoingDocument

    register(
        SearchSource(
            kind="incoming",
            label=_("Văn bản đến"),
            model=IncomingDocument,
            queryset=_incoming_rows,
            load=_incoming_load,
            states=tuple((str(k), v) for k, v in INCOMING_STATE_LABELS.items()),
            order=10,
            metadata=True,
        )
    )
    register(
        SearchSource(
            kind="outgoing",
            label=_("Văn bản đi"),
            model=OutgoingDocument,
            queryset=_outgoing_rows,
            load=_outgoing_load,
            states=tuple((str(k), v) for k, v in OUTGOING_STATE_LABELS.items()),
            order=20,
            metadata=True,
        )
    )

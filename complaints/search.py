"""The cases as a source of the search page (``documents.search.sources``): found by their code (the
"number" field or a word), their content and subject, and the display names of the letter's unprotected
people. A protected person has no display name, and the encrypted identity fields are never read: nothing
of a protected person can be searched or shown. Visibility is ``rules.visible_q`` inside the query.

Cases have no full-text index: every word (folded) must appear in the case's stored folded text (code,
subject, content) or a person's name (``queue.word_q``). They are not
ranked against the documents (rank 0: after the documents matched in their metadata, newest first)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import BooleanField, F, FloatField, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from complaints import queue, rules
from complaints.models import Case, CaseState
from documents.search.sources import COLUMNS, Criteria, SearchResult, SearchSource, register

KIND = "complaint_case"
MAX_WORDS = 8


def _rows(user, criteria: Criteria) -> QuerySet | None:
    state = criteria.state_for(KIND)
    if state is None or (criteria.kind and criteria.kind != KIND):
        return None
    # Criteria of documents only (issuer, signer, document type, text status): no case matches them.
    if criteria.issuer or criteria.signer or criteria.doc_type_id or criteria.text_status:
        return None
    qs = Case.objects.filter(rules.visible_q(user))
    if state:
        qs = qs.filter(state=state)
    if criteria.number:
        qs = qs.filter(code__istartswith=criteria.number.strip())
    if criteria.date_from:
        qs = qs.filter(letter__received_on__gte=criteria.date_from)
    if criteria.date_to:
        qs = qs.filter(letter__received_on__lte=criteria.date_to)
    if criteria.query is not None:
        words = [token for token, _prefix in criteria.query.terms][:MAX_WORDS]
        for word in words:
            qs = qs.filter(queue.word_q(word))
    # "kind" is also a column of Case: the source's kind is selected as an extra column of that name (the
    # union reads the columns in the order of COLUMNS).
    return (
        qs.order_by()
        .extra(select={"kind": "%s::varchar"}, select_params=(KIND,))  # noqa: S610 - a constant, as a parameter
        .annotate(
            oid=F("pk"),
            meta_hit=Value(True, output_field=BooleanField()),
            rank=Value(0.0, output_field=FloatField()),
            doc_date=F("letter__received_on"),
        )
        .values(*COLUMNS)
    )


def _load(user, pks: Sequence[int]) -> dict[int, SearchResult]:
    rows = Case.objects.filter(rules.visible_q(user), pk__in=list(pks)).select_related("letter", "agency")
    label = _("Đơn thư")
    return {
        case.pk: SearchResult(
            kind=KIND,
            kind_label=label,
            pk=case.pk,
            url=case.get_absolute_url(),
            number_symbol=case.code,
            date=case.letter.received_on,
            issuer=case.agency.name,
            summary=case.content,
            signer="",
            doc_type=case.get_kind_display(),
            state_label=case.get_state_display(),
            text_status="",
            secret_label=str(_("Giữ bí mật người tố cáo")) if case.protected else "",
        )
        for case in rows
    }


def register_source() -> None:
    register(
        SearchSource(
            kind=KIND,
            label=_("Đơn thư"),
            model=Case,
            queryset=_rows,
            load=_load,
            states=tuple((str(k), v) for k, v in CaseState.choices),
            order=40,
        )
    )

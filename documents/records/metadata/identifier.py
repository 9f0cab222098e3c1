"""The document identifier of an outgoing document (mã định danh văn bản, Phụ lục VI III.1c).

It is the ``DocumentId`` of the exchange axis: ``<OrganId>,<yyyy/MM/dd>,<số/ký hiệu>`` (the agency's code,
the issue date in local time, the number and symbol), built by ``documents.exchange.edxml.build.document_id``.
It is stored on ``OutgoingDocument.identifier`` in the transaction that fixes the number
(``documents.outgoing.signflow.prepare``). Documents numbered before that have an empty column and no data
migration may fill it (the models are frozen): ``identifier_of`` computes the same value on read, and
``identifier_sql`` does it inside a query (the search filter and column).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, F, Func, Q, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, TruncDate
from django.utils import timezone

from documents.exchange.edxml.build import document_id


def outgoing_identifier(*, agency_code: str, issued_at: dt.datetime, number_symbol: str) -> str:
    """The identifier of the document numbered ``number_symbol`` at ``issued_at`` by ``agency_code``."""
    if not number_symbol or issued_at is None:
        return ""
    return document_id(agency_code or "", timezone.localtime(issued_at).date(), number_symbol)[:120]


def identifier_of(document) -> str:
    """The stored identifier, or for a document numbered before it was stored, the same value computed."""
    if document.identifier:
        return document.identifier
    return outgoing_identifier(
        agency_code=document.agency.code, issued_at=document.issued_at, number_symbol=document.number_symbol
    )


def identifier_sql(prefix: str = ""):
    """The identifier of an outgoing document as an SQL expression (stored, else computed; '' when none)."""
    computed = Concat(
        F(f"{prefix}agency__code"),
        Value(","),
        Func(
            TruncDate(f"{prefix}issued_at"), Value("YYYY/MM/DD"), function="to_char", output_field=CharField()
        ),
        Value(","),
        F(f"{prefix}number_symbol"),
        output_field=CharField(),
    )
    numbered = Q(**{f"{prefix}issued_at__isnull": False}) & ~Q(**{f"{prefix}number_symbol": ""})
    return Coalesce(
        NullIf(F(f"{prefix}identifier"), Value("")),
        Case(When(numbered, then=computed), default=Value(""), output_field=CharField()),
        output_field=CharField(),
    )

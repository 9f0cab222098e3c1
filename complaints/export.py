"""Export of cases for the national database of citizen reception, letter handling and the resolution of
complaints and denunciations (cơ sở dữ liệu quốc gia về tiếp công dân, xử lý đơn, giải quyết khiếu nại, tố
cáo). The national database's interface is not public: this module writes a documented JSON format
(docs/complaints-export.md) behind an adapter, so that the day the interface is published only the adapter
changes. Nothing here sends anything anywhere.

No identity is ever exported: not the name, ID number, address, phone or e-mail of anyone, protected or not.
A person is exported as their role, whether they are protected, and nothing else; the number of signers is
given as a count. Decrypting identities for a bulk file would put every denouncer's name in a file that
leaves the access control and the read log of the module (Luật Tố cáo Đ47–48).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from documents.stats.selectors import Period

from . import selectors
from .models import Case, CaseDocument, Identity

FORMAT = "eoffice.complaints.cases"
VERSION = 1


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value is not None else None


class NationalDatabaseAdapter:
    """Maps a case onto the exchange record (one dict per case, JSON-serialisable). A future adapter for the
    real interface subclasses this and overrides ``serialize`` (and ``envelope``)."""

    format = FORMAT
    version = VERSION

    def serialize(self, case: Case) -> dict:
        letter = case.letter
        rule = case.due_rule
        documents = [
            {
                "form": doc.form,
                "document_id": doc.document_id,
                "created_at": _instant(doc.created_at),
                "issued_at": _instant(doc.issued_at),
            }
            for doc in getattr(case, "export_documents", ())
        ]
        people = [
            {"role": person.role, "protected": person.protected}
            for person in getattr(letter, "export_people", ())
        ]
        return {
            "code": case.code,
            "agency": {"id": case.agency_id, "name": case.agency.name},
            "letter": {
                "number": letter.number,
                "year": letter.year,
                "received_on": _date(letter.received_on),
                "source": letter.source,
                "source_org": letter.source_org,
                "signer_count": letter.signer_count,
                "anonymous": letter.anonymous,
                "protected": letter.protected,
                "people": people,
            },
            "content_order": case.order,
            "kind": case.kind,
            "instance": case.instance,
            "previous_code": case.previous.code if case.previous_id else None,
            "duplicate_of_code": case.duplicate_of.code if case.duplicate_of_id else None,
            "field": case.field,
            "content": case.content,
            "classification": {
                "processable": case.processable,
                "not_processable_reason": case.not_processable_reason or None,
                "competent": case.competent,
                "competent_body": case.competent_body or None,
            },
            "intake": {
                "outcome": case.outcome or None,
                "at": _instant(case.outcome_at),
                "forwarded_to_agency_id": case.forwarded_agency_id,
            },
            "state": case.state,
            "stage": case.stage,
            "complexity": case.complexity,
            "remote_area": case.remote_area,
            "accepted_at": _instant(case.accepted_at),
            "due_at": _instant(case.due_at),
            "due_rule": {"code": rule.code, "unit": rule.unit, "source": rule.source} if rule else None,
            "paused_days": case.paused_days,
            "extension_count": case.extension_count,
            "resolved_at": _instant(case.resolved_at),
            "closed_at": _instant(case.closed_at),
            "result": case.result or None,
            "result_summary": case.result_summary or None,
            "documents": documents,
        }

    def envelope(self, records: list[dict], *, agency, period: Period | None) -> dict:
        return {
            "format": self.format,
            "version": self.version,
            "generated_at": _instant(timezone.now()),
            "agency": {"id": agency.pk, "name": agency.name} if agency is not None else None,
            "period": {"from": _date(period.date_from), "to": _date(period.date_to)} if period else None,
            "count": len(records),
            "cases": records,
        }


def cases_for_export(qs: QuerySet[Case], period: Period | None = None) -> QuerySet[Case]:
    """``qs`` (already limited to what may be exported) with everything ``serialize`` reads, received in the
    period if given; the people prefetched without their encrypted columns."""
    if period is not None:
        qs = qs.filter(letter__received_on__gte=period.date_from, letter__received_on__lte=period.date_to)
    people = Identity.objects.only("id", "letter_id", "role", "protected", "order").order_by("order", "pk")
    return (
        qs.select_related("agency", "letter", "previous", "duplicate_of", "due_rule")
        .prefetch_related(
            Prefetch("letter__people", queryset=people, to_attr="export_people"),
            Prefetch(
                "documents",
                queryset=CaseDocument.objects.order_by("pk"),
                to_attr="export_documents",
            ),
        )
        .order_by("letter__received_on", "pk")
    )


def export_json(
    cases: Iterable[Case], *, agency, period: Period | None, adapter: NationalDatabaseAdapter | None = None
) -> bytes:
    adapter = adapter or NationalDatabaseAdapter()
    records = [adapter.serialize(case) for case in cases]
    data = adapter.envelope(records, agency=agency, period=period)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def user_export(*, user, period: Period) -> bytes:
    """What the staff download gives: the cases the user may see, received in the period."""
    qs = cases_for_export(selectors.visible_cases(user), period)
    return export_json(qs, agency=user.agency, period=period)

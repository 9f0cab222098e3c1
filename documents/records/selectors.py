"""Reads of the case files of the user's agency, and of the documents in them the user may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from documents.incoming.models import IncomingDocument
from documents.incoming.selectors import visible_incoming
from documents.records.models import CaseFile
from eoffice.models import User


def case_files_for(*, user: User, year: int | None = None) -> QuerySet[CaseFile]:

    qs = CaseFile.objects.filter(agency_id=user.agency_id)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("owner", "department").annotate(n_documents=Count("items")).order_by("code")


def case_file_get(*, user: User, pk: int) -> CaseFile:
    return get_object_or_404(
        CaseFile.objects.select_related("owner", "department"), pk=pk, agency_id=user.agency_id
    )


def case_file_documents(*, user: User, case_file: CaseFile) -> QuerySet[IncomingDocument]:
    """The documents of a case file the user may see, in chronological order."""
    return (
        visible_incoming(user)
        .filter(case_file_items__case_file=case_file)
        .select_related("doc_type")
        .order_by("received_at", "id")
    )


def open_case_files(*, user: User) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(agency_id=user.agency_id, status=CaseFile.Status.OPEN).order_by(
        "-year", "code"
    )

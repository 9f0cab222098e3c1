"""Reads of the format check: a document's checks (its history on the page) and an agency's assignments."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from documents.outgoing.models import FormatCheck, FormatReviewRule, OutgoingDocument
from eoffice.models import User


def checks_of(document: OutgoingDocument) -> QuerySet[FormatCheck]:
    """The checks made on ``document`` (the caller has its access), newest first."""
    return document.format_checks.select_related("checker", "version").order_by("-created_at", "-id")


def rules_of(agency_id: int) -> QuerySet[FormatReviewRule]:
    return (
        FormatReviewRule.objects.filter(agency_id=agency_id)
        .select_related("doc_type", "reviewer", "reviewer__department")
        .order_by("doc_type__name", "reviewer__full_name", "id")
    )


def rule_of(*, user: User, pk: int) -> FormatReviewRule:
    """One assignment of the user's own agency (404 for another agency's)."""
    return get_object_or_404(FormatReviewRule, pk=pk, agency_id=user.agency_id)

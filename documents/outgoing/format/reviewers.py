"""Who checks the format of a document in an agency: the rules for its type, else the rules without a type,
else the agency's people with the "Kiểm tra thể thức" role. Nobody: the document goes straight to the
signer."""

from __future__ import annotations

from django.db.models import QuerySet

from documents.outgoing.models import FormatReviewRule
from eoffice.models import Role, User


def reviewers_for(*, agency_id: int, doc_type_id: int | None) -> QuerySet[User]:
    """The active people who may check a document of ``doc_type_id`` in ``agency_id`` (first: default)."""
    rules = FormatReviewRule.objects.filter(agency_id=agency_id, reviewer__is_active=True)
    for scope in (rules.filter(doc_type_id=doc_type_id), rules.filter(doc_type__isnull=True)):
        ids = list(scope.order_by("id").values_list("reviewer_id", flat=True))
        if ids:
            return User.objects.filter(pk__in=ids, agency_id=agency_id).order_by("full_name", "id")
    return role_holders(agency_id)


def is_reviewer_anywhere(user: User) -> bool:
    """Whether ``user`` checks format in their agency (the role, else a rule): the queue's tab and its menu
    entry, both asked on the list page, so the rule's query is kept on the user object for the request."""
    if not user.agency_id:
        return False
    if user.has_role(Role.FORMAT_REVIEWER):
        return True
    if "_format_rule_reviewer" not in user.__dict__:
        user.__dict__["_format_rule_reviewer"] = FormatReviewRule.objects.filter(
            agency_id=user.agency_id, reviewer_id=user.pk
        ).exists()
    return user.__dict__["_format_rule_reviewer"]


def pick_reviewer(*, document, wanted: User | None) -> User | None:
    """The format reviewer of ``document`` on approval: ``wanted`` when it is one of those allowed, the first
    allowed when none is wanted, nobody when the agency has none (the document then goes to the signer)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    allowed = list(reviewers_for(agency_id=document.agency_id, doc_type_id=document.doc_type_id))
    if not allowed:
        return None
    if wanted is None:
        return allowed[0]
    if wanted.pk not in {u.pk for u in allowed}:
        raise ValidationError(
            {"format_reviewer": _("Người kiểm tra thể thức không được phân công cho loại văn bản này.")}
        )
    return wanted


def role_holders(agency_id: int) -> QuerySet[User]:
    """The agency's people with the "Kiểm tra thể thức" role (they check when no assignment applies)."""
    return (
        User.objects.filter(
            agency_id=agency_id, is_active=True, groups__agency_role__role=Role.FORMAT_REVIEWER
        )
        .distinct()
        .order_by("full_name", "id")
    )

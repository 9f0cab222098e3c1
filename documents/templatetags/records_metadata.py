"""``{% case_file_rights case_file as rights %}``: what the case file page's partial
``documents/records/metadata/_rights.html`` needs — the file's metadata block (Phụ lục VI Phần II Mục III
and its custom fields) and the usage-rights change request (III.3c) — so that the page (helper 2's) only
includes it."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def case_file_rights(context, case_file):
    from documents.records.access import is_manager, lock_entry
    from documents.records.metadata import access, forms, selectors

    user = context["request"].user
    pending = list(
        selectors.pending_changes(kind="casefile", object_id=case_file.pk, agency_id=case_file.agency_id)
    )
    can_request = (
        is_manager(user, case_file)
        and not case_file.is_frozen
        and lock_entry(case_file) is None
        and not any(c.action == "rights" for c in pending)
    )
    return {
        "meta": selectors.metadata_context(kind="casefile", record=case_file, user=user),
        "pending": pending,
        "can_confirm": access.can_confirm(user, case_file.agency_id),
        "form": forms.RightsRequestForm(
            initial={"new_rights": case_file.rights}, auto_id=f"rights-{case_file.pk}-%s"
        )
        if can_request
        else None,
    }

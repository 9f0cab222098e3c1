"""The case page's resolution section (``templates/complaints/case/_resolution.html``): the case file
(plans, evidence, reports, dialogue, decisions that moved the clock, handling,
delivery, publication), complexity, extensions and suspension. People of the letter only by their label."""

from __future__ import annotations

from django import template

from complaints import deadlines
from complaints.models import CaseKind, CaseStep
from complaints.services.resolution import COMPLAINT_RESULTS, DENUNCIATION_RESULTS

register = template.Library()


@register.inclusion_tag("complaints/case/_resolution_section.html", takes_context=True)
def resolution_section(context):
    case = context["case"]
    steps = list(
        CaseStep.objects.filter(case=case).select_related("created_by").order_by("happened_on", "pk")
    )
    results = DENUNCIATION_RESULTS if case.kind == CaseKind.DENUNCIATION else COMPLAINT_RESULTS
    max_extensions = None
    if case.kind == CaseKind.DENUNCIATION and case.accepted_at:
        try:
            max_extensions = deadlines.max_extensions(case)
        except Exception:  # noqa: BLE001 - a missing rule must not break the page; the service refuses
            max_extensions = None
    return {
        "case": case,
        "steps": steps,
        "result_label": results.get(case.result, ""),
        "max_extensions": max_extensions,
        "request": context.get("request"),
    }

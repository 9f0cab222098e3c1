"""The case queue and the case page (the hub the intake and resolution sections plug into)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from complaints import deadlines, queue, records, rules, selectors, services
from complaints.actions import CASE_ACTIONS
from complaints.forms.cases import CaseFilterForm
from complaints.models import Case, CaseKind, CaseState
from eoffice import audit
from eoffice.db import page_of
from workflow.models import DeadlineStatus

QUEUE_RELATED = ("letter", "handler", "department", "due_rule")


@login_required
def queue_page(request):
    user = request.user
    if not queue.may_open_queue(user):
        raise Http404
    form = CaseFilterForm(request.GET or None, user=user)
    qs = queue.with_deadline_status(form.apply(queue.visible(user))).select_related(*QUEUE_RELATED)
    page = page_of(qs.order_by("-created_at", "-pk"), request.GET.get("page"), queue.PAGE_SIZE)
    context = {
        "page": page,
        "form": form,
        "filtered": form.filtered,
        "can_register": rules.can_register(user),
    }
    return render(request, "complaints/cases.html", context)


def deadline_status(case: Case, now=None) -> str:
    """The case's deadline status in Python, the same as ``queue.with_deadline_status`` derives in SQL."""
    now = now or timezone.now()
    if not case.is_open and not (case.state == CaseState.KEPT and case.due_at):
        return DeadlineStatus.DONE
    if case.paused_at or case.state == CaseState.SUSPENDED:
        return DeadlineStatus.PAUSED
    if case.due_at is None:
        return DeadlineStatus.NO_DEADLINE
    if case.due_at < now:
        return DeadlineStatus.OVERDUE
    if case.due_soon_at and case.due_soon_at < now:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TIME


def deadline_label(case: Case) -> str:
    """The legal source printed beside the deadline ("07 ngày làm việc — NĐ 124/2020/NĐ-CP Đ16 …")."""
    if not case.is_open or case.due_rule_id is None:
        return ""
    try:
        return deadlines.current(case).label
    except ValidationError:
        return case.due_rule.source


def people_of(case: Case, user) -> list[dict]:
    """The letter's people by their label; the reveal link only for whoever is entitled."""
    people = list(case.letter.people.all())
    return [
        {
            "pk": person.pk,
            "label": services.identity_label(person),
            "role": person.get_role_display(),
            "protected": person.protected,
            "entitled": rules.identity_entitled(user, person, letter=case.letter),
        }
        for person in people
    ]


def case_context(case: Case, user) -> dict:
    actions = CASE_ACTIONS.page(case, user)
    return {
        "case": case,
        "letter": case.letter,
        "actions": actions,
        "status": deadline_status(case),
        "deadline_label": deadline_label(case),
        "people": people_of(case, user),
        "members": case.members.filter(removed_at__isnull=True).select_related("user").order_by("role", "pk"),
        "documents": case.documents.select_related("document", "document__doc_type").order_by("created_at"),
        "duplicates": case.duplicates.only("pk", "code", "state").order_by("pk"),
        "siblings": case.letter.cases.exclude(pk=case.pk)
        .only("pk", "code", "kind", "order")
        .order_by("order"),
        "next_instances": case.next_instances.only("pk", "code").order_by("pk"),
        "is_petition": case.kind in (CaseKind.PETITION, CaseKind.FEEDBACK),
        "notice_step": services.denunciation_notice_step(case),
        "user": user,
        "ft": records.file_this(user=user, case=case),
    }


@login_required
def detail(request, pk: int):
    case = selectors.case_access(user=request.user, pk=pk)
    audit.record_access(user=request.user, kind="complaint", object_id=case.pk)
    return render(request, "complaints/case/detail.html", case_context(case, request.user))

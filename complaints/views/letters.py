"""The sổ xử lý đơn pages: the register (filters by period, source, kind, state; search by number, summary
and the display name of unprotected people only), a new letter, a letter's page (people by their label,
files as the user may see them, its cases with their duplicates), taking an online letter, and the printed
intake forms of a case (Phiếu đề xuất thụ lý, Phiếu hướng dẫn)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from complaints import render as forms_render
from complaints import rules, selectors, services
from complaints.forms.letters import ContentFormSet, LetterFilterForm, LetterForm, PersonFormSet
from complaints.models import Case, CaseState, FormCode, Identity, Letter, LetterFile
from eoffice import audit
from eoffice.actions import error_text
from eoffice.db import page_of

PER_PAGE = 30
_NUMBER = re.compile(r"^\s*(\d{1,9})\s*(?:/\s*(\d{4}))?\s*$")


def letter_rows(user, filters: dict) -> models.QuerySet[Letter]:
    """The visible letters matching ``filters`` (LetterFilterForm.values()), newest first, in SQL."""
    qs = selectors.visible_letters(user)
    if filters.get("date_from"):
        qs = qs.filter(received_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(received_on__lte=filters["date_to"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    case_q = Q()
    if filters.get("kind"):
        case_q &= Q(kind=filters["kind"])
    if filters.get("state"):
        case_q &= Q(state=filters["state"])
    if case_q:
        qs = qs.filter(Exists(Case.objects.filter(case_q, letter_id=OuterRef("pk"))))
    text = (filters.get("q") or "").strip()
    if text:
        found = _NUMBER.match(text)
        match = Q(summary__icontains=text) | Q(
            Exists(
                Identity.objects.filter(
                    letter_id=OuterRef("pk"), protected=False, display_name__icontains=text
                )
            )
        )
        if found:
            number = Q(number=int(found.group(1)))
            if found.group(2):
                number &= Q(year=int(found.group(2)))
            match |= number
        qs = qs.filter(match)
    return qs.order_by("-received_on", "-number", "-pk")


@login_required
@require_safe
def letter_list(request):
    form = LetterFilterForm(request.GET or None)
    filters = form.values() if request.GET else {}
    rows = (
        letter_rows(request.user, filters)
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=Identity.objects.only("pk", "letter_id", "display_name", "protected", "order"),
            ),
            Prefetch(
                "cases",
                queryset=Case.objects.only("pk", "letter_id", "code", "kind", "state", "order").order_by(
                    "order"
                ),
            ),
        )
    )
    page = page_of(rows, request.GET.get("page"), PER_PAGE)
    for letter in page.object_list:
        letter.people_labels = [services.identity_label(p) for p in letter.people.all()]
    context = {
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "can_register": rules.can_register(request.user),
    }
    return render(request, "complaints/letters/list.html", context)


def _register(request, form, people_set, content_set) -> Letter | None:
    """The letter registered from the valid forms, or None with the refusal put on ``form``."""
    people = [p for f in people_set.forms if (p := f.person()) is not None]
    contents = [c for f in content_set.forms if (c := f.item()) is not None]
    if not form.check_representatives(people):
        return None
    data = form.cleaned_data
    try:
        return services.letter_register(
            by=request.user,
            people=people,
            contents=contents,
            **{k: data[k] for k in ("received_on", "source", "summary", "anonymous", "protected")},
            source_org=data["source_org"],
            source_reference=data["source_reference"],
            signer_count=data.get("signer_count"),
            decider=data.get("decider"),
            files=data["files"],
            papers=data["papers"],
        )
    except ValidationError as exc:
        form.add_error(None, error_text(exc))
        return None


@login_required
def letter_new(request):
    if not rules.can_register(request.user):
        raise PermissionDenied
    post = request.method == "POST"
    form = LetterForm(request.POST or None, request.FILES or None, user=request.user)
    people_set = PersonFormSet(request.POST or None, prefix="people")
    content_set = ContentFormSet(request.POST or None, prefix="contents")
    if post and form.is_valid() and people_set.is_valid() and content_set.is_valid():
        letter = _register(request, form, people_set, content_set)
        if letter is not None:
            messages.success(request, _("Đã vào sổ đơn số %(n)s.") % {"n": f"{letter.number}/{letter.year}"})
            return redirect(letter)
    context = {"form": form, "people_set": people_set, "content_set": content_set}
    return render(request, "complaints/letters/form.html", context, status=400 if post else 200)


def prefetch_letter_files(letter: Letter) -> None:
    """Read the letter's files with each original's redacted copies in two queries: the files list
    (complaints/files/_list.html) shows an original's latest copy ("Xem bản che", "Tạo lại") and offers
    "Tạo bản che" only while it has none."""
    prefetch_related_objects(
        [letter],
        Prefetch(
            "files",
            queryset=LetterFile.objects.prefetch_related(
                Prefetch("redactions", queryset=LetterFile.objects.order_by("pk"))
            ),
        ),
    )


@login_required
@require_safe
def letter_detail(request, pk: int):
    letter = selectors.letter_access(user=request.user, pk=pk)
    user = request.user
    audit.record_access(user=user, kind="letter", object_id=letter.pk)
    prefetch_letter_files(letter)
    people = [
        (p, services.identity_label(p), rules.identity_entitled(user, p, letter)) for p in letter.people.all()
    ]
    cases = list(
        selectors.visible_cases(user)
        .filter(letter=letter)
        .select_related("handler", "duplicate_of", "due_rule")
        .prefetch_related(Prefetch("duplicates", queryset=Case.objects.only("pk", "code", "duplicate_of_id")))
        .order_by("order")
    )
    suggestions = {
        c.pk: list(services.duplicate_candidates(c)) for c in cases if c.state == CaseState.REGISTERED
    }
    context = {
        "letter": letter,
        "people": people,
        "cases": [(c, suggestions.get(c.pk, [])) for c in cases],
        "can_take": letter.received_by_id is None and rules.is_officer(user, letter.agency_id),
        "is_staff": rules.is_staff_of(user, letter.agency_id),
    }
    return render(request, "complaints/letters/detail.html", context)


@login_required
@require_POST
def letter_take(request, pk: int):
    letter = selectors.letter_access(user=request.user, pk=pk)
    try:
        services.letter_take(letter=letter, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Bạn đã nhận xử lý đơn này."))
    return redirect(letter)


def _pdf(code: str, case: Case, name: str, **extra) -> HttpResponse:
    data = forms_render.form_pdf(
        code, on=case.letter.received_on, context=services.form_context(case, **extra)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{case.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _printable(user, pk: int) -> Case:
    case = selectors.case_access(user=user, pk=pk)
    if not (rules.can_intake(user, case) or rules.can_resolve(user, case)):
        raise Http404
    return case


@login_required
@require_safe
def intake_proposal_pdf(request, pk: int):
    """Phiếu đề xuất thụ lý (TT 05/2021 Mẫu 01), for whoever handles the intake or the resolution."""
    return _pdf(FormCode.INTAKE_PROPOSAL, _printable(request.user, pk), "phieu-de-xuat")


@login_required
@require_safe
def guidance_pdf(request, pk: int):
    """Phiếu hướng dẫn of a case returned with guidance."""
    case = _printable(request.user, pk)
    if case.state != CaseState.GUIDED and case.outcome != "guide":
        raise Http404
    return _pdf(FormCode.GUIDANCE, case, "phieu-huong-dan", guidance=case.outcome_reason)

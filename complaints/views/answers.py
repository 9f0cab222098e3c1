"""The staff pages of published answers: publish (or publish again) the answer of a resolved petition or
feedback whose sender consented, withdraw it, and the list of the agency's published answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import rules, selectors, services
from complaints.forms.answers import AnswerPublishForm, AnswerWithdrawForm
from complaints.models import Case, PublishedAnswer
from eoffice.db import page_of

PAGE_SIZE = 30


def _case(request, pk: int) -> Case:
    case = selectors.case_access(user=request.user, pk=pk)
    if not services.can_publish_answer(request.user, case):
        raise PermissionDenied(_("Bạn không có quyền công khai câu trả lời này."))
    return case


@login_required
def answer_publish(request, pk: int):
    case = _case(request, pk)
    published = PublishedAnswer.objects.filter(case=case).first()
    initial = {
        "question": published.question if published else "",
        "answer": published.answer if published else case.result_summary,
    }
    form = AnswerPublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_publish(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã công khai câu trả lời trên trang tra cứu trực tuyến."))
            return redirect("complaints:answer_publish", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "published": published,
        "blocked": services.answer_publishable(case),
        "withdraw_form": AnswerWithdrawForm(),
    }
    return render(request, "complaints/answers/publish.html", context)


@login_required
@require_POST
def answer_withdraw(request, pk: int):
    case = _case(request, pk)
    form = AnswerWithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.answer_withdraw(case=case, by=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã gỡ câu trả lời khỏi trang công khai."))
    return redirect("complaints:answer_publish", pk=case.pk)


@login_required
def answers_published(request):
    if not rules.is_staff_of(request.user):
        raise PermissionDenied(_("Chỉ cán bộ tiếp công dân, xử lý đơn xem được danh sách này."))
    qs = (
        PublishedAnswer.objects.filter(agency_id=request.user.agency_id)
        .select_related("case", "published_by")
        .order_by("-published_at", "-pk")
    )
    page = page_of(qs, request.GET.get("page"), PAGE_SIZE)
    return render(request, "complaints/answers/list.html", {"page": page})

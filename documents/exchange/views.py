"""The exchange pages (thin views: parse, call one service or selector, render).

- ``exchange_log``: every package and status in and out that the user may see (a clerk or an agency admin:
  their agency's; a superuser: all), filterable, paginated in a constant number of queries (one count, one
  page: both directions are one ``UNION ALL`` of the two visible querysets);
- ``outbox_file`` / ``inbox_file``: the raw ``.edxml`` as sent or received, after the same visibility check;
- ``outbox_resend``: a failed row back in the queue (``outbox.outbox_resend``);
- ``exchange_delivery``: the sender's counters (chưa gửi, gửi lỗi, bị trả lại, chậm tiếp nhận) and the
  recipients behind each one;
- ``change_panel``: on an incoming document that came by exchange, the recall, update or replacement still
  waiting for the clerk, with accept (15) / refuse (16); its post calls ``change_answer``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BigIntegerField, F, IntegerField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from documents.exchange import forms, selectors
from documents.exchange.menus import may_open
from documents.exchange.models import InboxMessage, MessageKind, OutboxMessage
from documents.outgoing.models import DeliveryStatus, OutgoingRecipient
from eoffice.actions import error_text
from eoffice.db import page_of
from eoffice.files import serve_field_file
from eoffice.models import Role

PAGE_SIZE = 25

BUSINESS_LABELS = {
    0: gettext_lazy("Văn bản mới"),
    1: gettext_lazy("Thu hồi"),
    2: gettext_lazy("Cập nhật"),
    3: gettext_lazy("Thay thế"),
}
STATUS_LABELS = {
    "01": gettext_lazy("01 · Đã đến"),
    "02": gettext_lazy("02 · Từ chối tiếp nhận"),
    "03": gettext_lazy("03 · Đã vào sổ"),
    "04": gettext_lazy("04 · Đã phân công"),
    "05": gettext_lazy("05 · Đang xử lý"),
    "06": gettext_lazy("06 · Hoàn thành"),
    "13": gettext_lazy("13 · Đề nghị thu hồi, cập nhật"),
    "15": gettext_lazy("15 · Đồng ý thu hồi, cập nhật"),
    "16": gettext_lazy("16 · Từ chối thu hồi, cập nhật"),
}
STATE_TONES = {
    "pending": "pill-muted",
    "sent": "pill-ontime",
    "failed": "pill-overdue",
    "cancelled": "pill-muted",
    "received": "pill-muted",
    "imported": "pill-done",
    "refused": "pill-overdue",
    "duplicate": "pill-muted",
}
COUNTERS = [
    ("pending", gettext_lazy("Chưa gửi")),
    ("failed", gettext_lazy("Gửi lỗi")),
    ("refused", gettext_lazy("Bị trả lại")),
    ("late", gettext_lazy("Chậm tiếp nhận")),
]
LOG_COLUMNS = (
    "x_dir",
    "x_id",
    "x_kind",
    "x_state",
    "x_at",
    "x_peer",
    "x_code",
    "x_own",
    "x_document_id",
    "x_business",
    "x_status",
    "x_error",
    "x_incoming",
    "x_outgoing",
    "x_label",
    "x_size",
)


def _filtered(
    rows, *, at: str, peer: str, code: str, kind="", state="", agency="", date_from=None, date_to=None
):
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    if agency:
        rows = rows.filter(Q(**{f"{peer}__icontains": agency}) | Q(**{f"{code}__icontains": agency}))
    if date_from:
        rows = rows.filter(**{f"{at}__date__gte": date_from})
    if date_to:
        rows = rows.filter(**{f"{at}__date__lte": date_to})
    return rows.order_by()


def _log_rows(user, *, direction: str = "", **filters):
    """The visible messages of both directions as one ``UNION ALL`` of same-shaped rows, newest first."""
    out = _filtered(
        selectors.outbox_visible(user),
        at="created_at",
        peer="external_agency__name",
        code="external_agency__code",
        **filters,
    ).annotate(
        x_dir=Value("out"),
        x_id=F("pk"),
        x_kind=F("kind"),
        x_state=F("state"),
        x_at=F("created_at"),
        x_peer=Cast("external_agency__name", TextField()),
        x_code=Cast(Coalesce("external_agency__code", "external_agency__code_qd20"), TextField()),
        x_own=Cast("agency__name", TextField()),
        x_document_id=Cast("document_id", TextField()),
        x_business=Cast("business_type", IntegerField()),
        x_status=Cast("status_code", TextField()),
        x_error=F("last_error"),
        x_incoming=Cast("incoming_id", BigIntegerField()),
        x_outgoing=Cast("recipient__document_id", BigIntegerField()),
        x_label=Cast(Coalesce("recipient__document__number_symbol", "incoming__number_symbol"), TextField()),
        x_size=F("size"),
    )
    received = _filtered(
        selectors.inbox_visible(user), at="received_at", peer="sender_name", code="sender_code", **filters
    ).annotate(
        x_dir=Value("in"),
        x_id=F("pk"),
        x_kind=F("kind"),
        x_state=F("state"),
        x_at=F("received_at"),
        x_peer=Cast("sender_name", TextField()),
        x_code=Cast("sender_code", TextField()),
        x_own=Cast("agency__name", TextField()),
        x_document_id=Cast("document_id", TextField()),
        x_business=Cast("business_type", IntegerField()),
        x_status=Cast("status_code", TextField()),
        x_error=F("error_message"),
        x_incoming=Cast("incoming_id", BigIntegerField()),
        x_outgoing=Cast(Value(None), BigIntegerField()),
        x_label=Cast("incoming__number_symbol", TextField()),
        x_size=F("size"),
    )
    out, received = out.values(*LOG_COLUMNS), received.values(*LOG_COLUMNS)
    if direction == "out":
        rows = out
    elif direction == "in":
        rows = received
    else:
        rows = out.union(received, all=True)
    return rows.order_by("-x_at", "-x_id")


def _log_entry(row: dict) -> dict:
    outgoing = row["x_dir"] == "out"
    states = OutboxMessage.State if outgoing else InboxMessage.State
    kind = row["x_kind"]
    if kind == MessageKind.STATUS:
        what = STATUS_LABELS.get(row["x_status"], row["x_status"])
    elif kind == MessageKind.PACKAGE:
        what = BUSINESS_LABELS.get(row["x_business"] or 0, "")
    else:
        what = ""
    if row["x_outgoing"]:
        doc_url = reverse("documents:outgoing_detail", args=[row["x_outgoing"]])
    elif row["x_incoming"]:
        doc_url = reverse("documents:incoming_detail", args=[row["x_incoming"]])
    else:
        doc_url = ""
    file_view = "documents:exchange_outbox_file" if outgoing else "documents:exchange_inbox_file"
    return {
        **{k[2:]: v for k, v in row.items()},
        "outgoing": outgoing,
        "kind_label": MessageKind(kind).label if kind else _("Chưa đọc"),
        "what": what,
        "state_label": states(row["x_state"]).label,
        "tone": STATE_TONES.get(row["x_state"], "pill-muted"),
        "doc_url": doc_url,
        "file_url": reverse(file_view, args=[row["x_id"]]) if row["x_size"] else "",
    }


@login_required
def exchange_log(request):
    if not may_open(request.user):
        raise PermissionDenied
    form = forms.LogFilterForm(request.GET or None)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    page = Paginator(_log_rows(request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [_log_entry(row) for row in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "query": query.urlencode(),
        "all_agencies": request.user.is_superuser,
        "is_clerk": request.user.is_superuser or request.user.has_role(Role.CLERK),
    }
    return render(request, "documents/exchange/log.html", context)


@login_required
def outbox_file(request, pk: int):
    message = get_object_or_404(selectors.outbox_visible(request.user), pk=pk)
    return serve_field_file(message.file, filename=f"goi-tin-gui-{message.pk}.edxml", inline=False)


@login_required
def inbox_file(request, pk: int):
    message = get_object_or_404(selectors.inbox_visible(request.user), pk=pk)
    return serve_field_file(message.file, filename=f"goi-tin-nhan-{message.pk}.edxml", inline=False)


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


@login_required
@require_POST
def outbox_resend(request, pk: int):
    from documents.exchange.services import outbox

    message = get_object_or_404(selectors.outbox_visible(request.user), pk=pk)
    try:
        outbox.outbox_resend(message=message, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã đưa gói tin vào hàng gửi lại; hệ thống sẽ gửi trong ít phút."))
    return redirect(_back(request, reverse("documents:exchange_log")))


# --- the sender's delivery page ----------------------------------------------------------------------------


def _delivery_rows(user, show: str):
    """The agency's recipients reached by exchange behind one counter, with their failed outbox row."""
    late_before = timezone.now() - dt.timedelta(hours=settings.EXCHANGE_LATE_ARRIVAL_HOURS)
    wanted = {
        "pending": Q(status=DeliveryStatus.PENDING),
        "failed": Q(status=DeliveryStatus.FAILED),
        "refused": Q(status=DeliveryStatus.REFUSED),
        "late": Q(status=DeliveryStatus.SENT, status_at__lt=late_before),
    }[show]
    failed = OutboxMessage.objects.filter(recipient_id=OuterRef("pk"), state=OutboxMessage.State.FAILED)
    return (
        OutgoingRecipient.objects.filter(
            wanted, document__agency_id=user.agency_id, channel=OutgoingRecipient.Channel.EXCHANGE
        )
        .select_related("document", "external_agency")
        .annotate(failed_outbox=Subquery(failed.order_by("-pk").values("pk")[:1]))
        .order_by("-status_at", "-pk")
    )


@login_required
def exchange_delivery(request):
    user = request.user
    if not (user.agency_id and (user.has_role(Role.CLERK) or user.has_role(Role.AGENCY_ADMIN))):
        raise PermissionDenied
    show = request.GET.get("show") if request.GET.get("show") in dict(COUNTERS) else "failed"
    counts = selectors.delivery_counters(user)
    page = page_of(_delivery_rows(user, show), request.GET.get("page"), PAGE_SIZE)
    context = {
        "counters": [
            {"key": key, "label": label, "count": counts[key], "active": key == show}
            for key, label in COUNTERS
        ],
        "show": show,
        "show_label": dict(COUNTERS)[show],
        "page": page,
        "query": f"show={show}",
        "late_hours": settings.EXCHANGE_LATE_ARRIVAL_HOURS,
        "is_clerk": user.has_role(Role.CLERK),
    }
    return render(request, "documents/exchange/delivery.html", context)


# --- the clerk's answer to a change asked from outside ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_panel(request, pk: int):
    from documents.exchange.services import change_answer, pending_change
    from documents.incoming.selectors import incoming_access

    document = incoming_access(user=request.user, pk=pk)
    is_clerk = request.user.agency_id == document.agency_id and request.user.has_role(Role.CLERK)
    change = pending_change(document)
    if request.method == "POST":
        if not is_clerk:
            raise PermissionDenied
        form = forms.ChangeAnswerForm(request.POST)
        if change is None:
            messages.error(
                request, _("Không có đề nghị thu hồi, cập nhật hoặc thay thế nào đang chờ trả lời.")
            )
        elif form.is_valid():
            try:
                change_answer(
                    incoming=document, accept=form.accept, by=request.user, reason=form.cleaned_data["reason"]
                )
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(
                    request,
                    _("Đã đồng ý đề nghị của nơi gửi (15).")
                    if form.accept
                    else _("Đã từ chối đề nghị của nơi gửi (16)."),
                )
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(document)
    if change is None:
        return HttpResponse("")
    context = {
        "doc": document,
        "change": change,
        "change_label": BUSINESS_LABELS.get(change.business_type, ""),
        "is_clerk": is_clerk,
        "form": forms.ChangeAnswerForm(),
    }
    return render(request, "documents/exchange/_change_panel.html", context)

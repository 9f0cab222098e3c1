"""Calendar pages: the feeds page (a person's and their units' feed URLs), the feed itself (no login, a
secret token), one meeting's .ics, and the issued Giấy mời of a meeting for the people who may see it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from eoffice import audit
from eoffice.files import serve_field_file
from eoffice.models import Department
from eoffice.params import int_param
from meetings import feeds, ical, selectors, services
from meetings.models import CalendarFeed
from workflow.models import WorkflowState

NEW_FEED = "meetings_new_feed"


def _calendar_response(data: bytes, *, filename: str = "", cache: str = "private, no-store") -> HttpResponse:
    response = HttpResponse(data, content_type=f"{ical.MIME_TYPE}; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def feeds_page(request):
    data = feeds.page_data(request.user, request.session.pop(NEW_FEED, None))
    return render(request, "meetings/invitations/feeds.html", {"title": _("Đồng bộ lịch"), **data})


@login_required
@require_POST
def feed_create(request):
    department_id = int_param(request.POST.get("department"))
    department = None
    if department_id:
        department = get_object_or_404(Department, pk=department_id, agency_id=request.user.agency_id)
    try:
        _feed, token = services.calendar_feed_create(by=request.user, department=department)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
        return redirect("meetings:feeds")
    request.session[NEW_FEED] = {"department": department.pk if department else None, "token": token}
    messages.success(request, _("Đã tạo địa chỉ lịch mới. Địa chỉ cũ (nếu có) không còn dùng được."))
    return redirect("meetings:feeds")


@login_required
@require_POST
def feed_revoke(request, pk: int):
    feed = get_object_or_404(CalendarFeed, pk=pk, revoked_at__isnull=True)
    try:
        services.calendar_feed_revoke(feed=feed, by=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("Đã thu hồi địa chỉ lịch: ứng dụng lịch sẽ không nhận được lịch nữa."))
    return redirect("meetings:feeds")


@require_safe
def feed(request, token: str):
    found = feeds.feed_by_token(token)
    if found is None:
        raise Http404
    data = ical.feed_calendar(
        feeds.feed_meetings(found), name=feeds.feed_name(found), readable=lambda m: m.readable
    )
    feeds.feed_touch(found)
    return _calendar_response(data, cache="private, max-age=300")


@login_required
def meeting_ics(request, pk: int):
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    if meeting.state not in (WorkflowState.APPROVED, WorkflowState.CANCELLED):
        raise Http404
    data = ical.meeting_calendar(meeting, method=ical.PUBLISH)
    return _calendar_response(data, filename=f"lich-hop-{meeting.pk}.ics")


@login_required
def invitation_file(request, pk: int):
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    document = meeting.invitation
    if document is None or document.state != WorkflowState.ISSUED or not document.current_version_id:
        raise Http404
    name = slugify(f"giay-moi-{document.number_symbol}") or "giay-moi"
    access = audit.record_file_access(request, kind="meeting", object_id=meeting.pk)
    return serve_field_file(document.current_version.file, filename=f"{name}.pdf", **access)

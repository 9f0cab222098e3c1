"""Pages of the paperless meeting: the section of the meeting's page (also on its own page), a file served
after the permission check, a vote's results as Excel. Writes go through ``meetings:act`` /
``meetings:act_part`` (``actions/paperless.py``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from eoffice import audit
from eoffice.files import serve_field_file
from meetings import paperless, selectors
from meetings.models import Participant, Vote
from meetings.render import votes as vote_render


def section_context(*, user, meeting) -> dict:
    """The paperless section for ``user``: the reads of ``meetings.paperless.section`` and the forms of
    the actions this person may take now, bound per file, participant and vote."""
    from meetings.actions import MEETING_ACTIONS as A

    s = paperless.section(user=user, meeting=meeting)
    if not s.involved:
        return {"pl": s}
    requested = Participant.Substitute.REQUESTED
    for f in s.files:
        f.comment_action = A.bind("file_comment", meeting, user, part=f.pk) if s.is_open else None
    for p in s.participants:
        p.mark_action = (
            A.bind("roll_call_mark", meeting, user, part=p.pk) if s.manage and s.marking_open else None
        )
        p.decide = s.manage and s.is_open and p.substitute_status == requested
        p.decide_action = A.bind("substitute_decide", meeting, user, part=p.pk) if p.decide else None
    for r in s.votes:
        status = r.vote.status
        r.open_action = (
            A.bind("vote_open", meeting, user, part=r.vote.pk)
            if s.preside and status == Vote.Status.DRAFT and s.voting_time
            else None
        )
        r.close_action = (
            A.bind("vote_close", meeting, user, part=r.vote.pk)
            if s.preside and status == Vote.Status.OPEN
            else None
        )
        r.ballot_action = (
            A.bind("ballot", meeting, user, part=r.vote.pk)
            if s.attendee and status == Vote.Status.OPEN and not r.mine
            else None
        )
    substitute_rows = [
        p for p in s.can_request_substitute if p.substitute_status != Participant.Substitute.APPROVED
    ]
    return {
        "pl": s,
        "pl_upload": A.bind("file_upload", meeting, user) if s.upload else None,
        "pl_check_in": A.bind("check_in", meeting, user)
        if s.roll_call_open and s.mine and not s.checked_in
        else None,
        "pl_substitute": A.bind("substitute_request", meeting, user) if substitute_rows else None,
        "pl_vote_create": A.bind("vote_create", meeting, user) if s.preside and s.is_open else None,
    }


@login_required
@require_safe
def paperless_page(request, pk: int):
    """The section on a page of its own (a phone in the meeting room opens it directly)."""
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    context = {"meeting": meeting, **section_context(user=request.user, meeting=meeting)}
    return render(request, "meetings/paperless/page.html", context)


@login_required
@require_safe
def file_view(request, pk: int, file_id: int):
    """A file of the meeting, only to someone who may open it (the same 404 otherwise)."""
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    row = paperless.files_visible(request.user, meeting).filter(pk=file_id).first()
    if row is None:
        raise Http404
    extension = row.file.name.rsplit(".", 1)[-1] if "." in row.file.name else ""
    name = (
        row.name
        if not extension or row.name.lower().endswith(f".{extension.lower()}")
        else f"{row.name}.{extension}"
    )
    access = audit.record_file_access(
        request, kind="meeting", object_id=meeting.pk, download=bool(request.GET.get("download"))
    )
    return serve_field_file(row.file, filename=name, **access)


@login_required
@require_safe
def vote_export(request, pk: int, vote_id: int):
    """A closed vote's results as Excel, to the meeting's participants."""
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    if not paperless.is_involved(request.user, meeting):
        raise Http404
    votes = [r for r in paperless.vote_results(user=request.user, meeting=meeting) if r.vote.pk == vote_id]
    if not votes or votes[0].vote.status != Vote.Status.CLOSED:
        raise Http404
    data = vote_render.xlsx(meeting=meeting, result=votes[0], user=request.user)
    response = HttpResponse(data, content_type=vote_render.CONTENT_TYPE)
    stem = slugify(votes[0].vote.question)[:60] or "bieu-quyet"
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{stem}.xlsx"'
    return response

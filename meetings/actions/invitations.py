"""The detail page's actions: invitations (the Giấy mời drafted from the meeting)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from eoffice.actions import Action


def _draft(meeting, user, form, **kwargs):
    from meetings import services

    document = services.invitation_draft(meeting=meeting, by=user)
    return redirect(document.get_absolute_url())


def _may_draft(meeting, user, state) -> bool:
    from meetings.services.invitations import can_draft_invitation

    return can_draft_invitation(user, meeting)


ACTIONS: list = [
    Action(
        "invitation_draft",
        run=_draft,
        when=_may_draft,
        title=_("Tạo giấy mời"),
        button=_("Tạo giấy mời"),
        tone="secondary",
        hint=_(
            "Dự thảo giấy mời (Mẫu 1.7) được lập từ thông tin cuộc họp, sau đó trình duyệt, ký số, cấp số "
            "và phát hành như văn bản đi."
        ),
    ),
]

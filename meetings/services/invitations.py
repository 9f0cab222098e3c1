"""Invitations: calendar e-mails (iCalendar REQUEST / CANCEL), feeds, the Giấy mời (outgoing flow)."""

from __future__ import annotations

__all__ = ["invitation_issued", "meeting_invitations_queue"]


def meeting_invitations_queue(*, meeting, method: str = "REQUEST", user_ids=None, reason: str = "") -> None:
    """Queue, after commit, the iCalendar e-mail of ``meeting`` (``method`` REQUEST or CANCEL) to its
    attendees (``user_ids``: only these people, e.g. those affected by a change or removed) and outsiders."""


def invitation_issued(*, document, by) -> None:
    """``document`` was issued: when it is a meeting's Giấy mời, tell its attendees inside the agency."""

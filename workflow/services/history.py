"""Transitions and history: the one way a record's state moves, and the append-only timeline."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eoffice.models import User
from workflow.files import sha256_of, validate_upload
from workflow.models import ACTIONS, HistoryEntry, WorkflowRecord


class RecordChanged(ValidationError):
    """The record moved on between the page being shown and the action: someone else acted first."""

    def __init__(self, message=None):
        super().__init__(
            message or _("Hồ sơ đã được người khác xử lý. Vui lòng tải lại trang."), code="changed"
        )


def history_add(
    *,
    record,
    event: str,
    actor: User | None,
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    attachment=None,
    data: dict | None = None,
    at: datetime | None = None,
) -> HistoryEntry:
    """Append one history row (joins the caller's transaction); ``at`` backdates it (demo data, imports)."""
    entry = HistoryEntry(
        content_type=ContentType.objects.get_for_model(record.__class__),
        object_id=record.pk,
        agency_id=getattr(record, "agency_id", None),
        event=event,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor if actor is not None and actor.pk else None,
        comment=comment,
        data=data or {},
    )
    if at is not None:
        entry.created_at = at
    if attachment is not None:
        validate_upload(attachment)
        entry.attachment_sha256 = sha256_of(attachment)
        entry.attachment_name = attachment.name[-255:]
        entry.attachment_size = attachment.size
        entry.attachment = attachment
    entry.save()
    return entry


def record_view_log(*, record, user: User, reason: str = "") -> HistoryEntry:
    """Keep a trace of who opened a secret record (callers decide which records need it)."""
    with transaction.atomic():
        return history_add(record=record, event=HistoryEntry.Event.VIEW, actor=user, comment=reason)


def lock_record(model, pk: int):
    """Load a record with a row lock (inside the caller's transaction)."""
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


def record_transition(
    *,
    record: WorkflowRecord,
    action: str,
    by: User,
    comment: str = "",
    attachment=None,
    expected_state: str | None = None,
    data: dict | None = None,
) -> WorkflowRecord:
    """Run transition ``action`` on ``record`` for ``by``: lock, check, transition, history.

    Two people acting at once: the second waits for the first's lock, then finds the state changed
    and gets ``RecordChanged`` ("hồ sơ đã được người khác xử lý").
    """
    with transaction.atomic():
        locked = lock_record(type(record), record.pk)
        if expected_state is not None and locked.state != expected_state:
            raise RecordChanged
        available = {t.name: t for t in locked.get_available_state_transitions()}
        if action not in available:
            if action in {t.name for t in locked.get_all_state_transitions()}:
                raise RecordChanged
            raise ValidationError(_("Thao tác không hợp lệ."), code="unknown_action")
        if not available[action].has_perm(locked, by):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        info = ACTIONS.get(action)
        custom = available[action].custom or {}
        if custom.get("comment_required", info.comment_required if info else False) and not comment.strip():
            raise ValidationError(_("Vui lòng nhập ý kiến cho thao tác này."), code="comment_required")
        before = locked.state
        getattr(locked, action)()
        locked.save()
        history_add(
            record=locked,
            event=HistoryEntry.Event.TRANSITION,
            actor=by,
            action=action,
            from_state=before,
            to_state=locked.state,
            comment=comment.strip(),
            attachment=attachment,
            data=data,
        )
    return locked

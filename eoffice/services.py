"""Writes of the core. Keyword-only, one transaction each, permission checked here."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Agency, AgencyRole, EmailFailure, Notification, Role, User

logger = logging.getLogger(__name__)


def notify(
    *, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Create one in-app notification per distinct recipient; joins the caller's transaction."""
    if url and not url.startswith("/"):
        raise ValueError("notification URLs are internal paths")
    from eoffice.notifications import subject_line

    title = subject_line(title, max_length=255)  # a title is one line: it is also the email's subject
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, title=title, body=body, url=url))
    created = Notification.objects.bulk_create(rows)
    from eoffice.menu import forget_badges
    from eoffice.notifications import dispatch_email

    forget_badges(seen)  # what reached them shows in their badges at their next page

    dispatch_email(created)
    return created


def notification_mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    user.__dict__.pop("_unread_notifications", None)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notification_mark_all_read(*, user: User) -> int:
    user.__dict__.pop("_unread_notifications", None)
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def can_manage_staff(*, actor: User, agency: Agency | None) -> bool:
    if actor.is_superuser:
        return True
    return agency is not None and actor.agency_id == agency.pk and actor.has_role(Role.AGENCY_ADMIN)


@transaction.atomic
def staff_set_roles(*, user: User, roles: Iterable[str], by: User) -> None:
    """Give ``user`` exactly ``roles`` in their own agency (role groups of other agencies are dropped)."""
    if user.agency_id is None:
        raise ValidationError(_("Cán bộ chưa thuộc cơ quan nào nên không thể gán vai trò."))
    if not can_manage_staff(actor=by, agency=user.agency):
        raise PermissionDenied
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationError(_("Vai trò không hợp lệ: %(roles)s") % {"roles": ", ".join(sorted(unknown))})
    User.objects.select_for_update().get(pk=user.pk)
    role_groups = AgencyRole.objects.values_list("group_id", flat=True)
    user.groups.remove(*user.groups.filter(pk__in=role_groups))
    user.groups.add(*(AgencyRole.objects.group_for(user.agency, role) for role in wanted))
    user.__dict__.pop("roles", None)


@transaction.atomic
def staff_set_signature(*, user: User, image, by: User) -> User:
    """Replace the handwritten-signature image (validated as a transparent PNG by the form)."""
    if by.pk != user.pk and not can_manage_staff(actor=by, agency=user.agency):
        raise PermissionDenied
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.signature_image:
        locked.signature_image.delete(save=False)
    locked.signature_image = image
    locked.save(update_fields=["signature_image"])
    return locked


def notification_emails_send(*, notification_ids: Iterable[int]) -> int:
    """Send each notification's email once: the row is locked and marked before the next one. A message
    that fails is kept (``EmailFailure``, retried by ``email_failures_retry``) and the others still go.
    Run by ``eoffice.tasks.send_notification_emails``."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.db.models import Exists, OuterRef

    from eoffice.notifications import notification_message_id, send_email

    ids = list(notification_ids)
    sent = 0
    for pk in ids:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .exclude(Exists(EmailFailure.objects.filter(notification=OuterRef("pk"))))
                .first()
            )
            if note is None or not note.recipient.email:
                continue
            link = f"{settings.EOFFICE_BASE_URL}{note.url}" if note.url else settings.EOFFICE_BASE_URL
            # Claimed (row lock), sent, marked, committed. A worker killed before the SMTP server's 250
            # leaves the row unmarked (the transaction dies with its connection): sent again, once. Killed
            # between the 250 and the commit, it is sent twice, with the same Message-ID (the receiving
            # side can recognise the copy): the one window a mail server outside the database leaves.
            message = EmailMessage(
                subject=note.title,
                body=f"{note.body}\n\n{link}".strip(),
                to=[note.recipient.email],
                headers={"Message-ID": notification_message_id(note)},
            )
            if send_email(message, source="notification", notification=note):
                note.mark_emailed()
                sent += 1
    logger.info("notification emails sent: %s of %s", sent, len(ids))
    return sent


EMAIL_SWEEP_AFTER = timedelta(minutes=2)
EMAIL_SWEEP_WINDOW = timedelta(hours=6)


def notification_emails_sweep(*, now=None, limit: int = 1000) -> int:
    """Send the notification emails still unsent EMAIL_SWEEP_AFTER after their notification (the worker
    sending them was killed; its message waits in Redis for the broker's visibility timeout), unread and
    younger than EMAIL_SWEEP_WINDOW, to the people who want them; ``notification_emails_send`` sends each
    once. Run by the beat's ``eoffice.tasks.retry_failed_emails``."""
    from eoffice.notifications import email_choices

    now = now or timezone.now()
    rows = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__lt=now - EMAIL_SWEEP_AFTER,
            created_at__gt=now - EMAIL_SWEEP_WINDOW,
            email_failures__isnull=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")[:limit]
    )
    choices = email_choices([(n.recipient, n.kind) for n in rows])
    ids = [n.pk for n in rows if choices.get((n.recipient_id, n.kind))]
    return notification_emails_send(notification_ids=ids) if ids else 0


def email_failures_retry(*, ids: Iterable[int] | None = None, batch: int = 100) -> dict:
    """Send again the kept failures that are due (or exactly ``ids``, due or not), each on its own: a row
    is locked (``SKIP LOCKED``: one worker per row), sent, and marked sent, or given a later try, or given
    up after EOFFICE_EMAIL_RETRY_MAX_ATTEMPTS tries."""
    from django.conf import settings

    from eoffice.notifications import message_from_content, retry_delay

    pending = EmailFailure.objects.filter(status=EmailFailure.Status.PENDING)
    if ids is None:
        # the sent ones are kept a while for the admin to see, then dropped
        EmailFailure.objects.filter(
            status=EmailFailure.Status.SENT, sent_at__lt=timezone.now() - timedelta(days=90)
        ).delete()
        chosen = pending.filter(next_attempt_at__lte=timezone.now()).order_by("next_attempt_at")
    else:
        chosen = pending.filter(pk__in=list(ids)).order_by("pk")
    result = {"sent": 0, "failed": 0, "gave_up": 0}
    for pk in list(chosen.values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            failure = pending.select_for_update(skip_locked=True).filter(pk=pk).first()
            if failure is None:
                continue
            now = timezone.now()
            failure.attempts += 1
            failure.last_attempt_at = now
            try:
                message_from_content(failure.subject, failure.content).send(fail_silently=False)
            except Exception as exc:  # SMTP, DNS, socket, refused address …
                failure.error = f"{exc.__class__.__name__}: {exc}"[:2000]
                if failure.attempts >= settings.EOFFICE_EMAIL_RETRY_MAX_ATTEMPTS:
                    failure.status = EmailFailure.Status.GAVE_UP
                    failure.next_attempt_at = None
                    result["gave_up"] += 1
                else:
                    failure.next_attempt_at = now + retry_delay(failure.attempts)
                    result["failed"] += 1
            else:
                failure.status = EmailFailure.Status.SENT
                failure.sent_at = now
                failure.next_attempt_at = None
                if failure.notification_id:
                    Notification.objects.filter(pk=failure.notification_id, emailed_at__isnull=True).update(
                        emailed_at=now
                    )
                result["sent"] += 1
            failure.save()
    return result


@transaction.atomic
def email_failures_requeue(*, ids: Iterable[int], by: User) -> int:
    """Send the chosen failures again now (the admin's "Gửi lại"), given-up ones included."""
    if not by.is_superuser:
        raise PermissionDenied
    chosen = list(ids)
    count = (
        EmailFailure.objects.filter(pk__in=chosen)
        .exclude(status=EmailFailure.Status.SENT)
        .update(status=EmailFailure.Status.PENDING, next_attempt_at=timezone.now())
    )
    if count:
        from eoffice.outbox import enqueue
        from eoffice.tasks import retry_failed_emails

        enqueue(retry_failed_emails, args=(chosen,))
    return count

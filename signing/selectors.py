"""Reads of the signing app, filtered in SQL to what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from eoffice.models import Role, User
from signing.models import (
    Credential,
    CredentialKind,
    PublicVerification,
    SignatureBatch,
    SignatureLog,
    SignatureRequest,
)

OPEN = (SignatureRequest.Status.PENDING, SignatureRequest.Status.FAILED)
SIGNABLE = (*OPEN, SignatureRequest.Status.QUEUED)


def _requests_for(user: User) -> Q:
    """Requests ``user`` signs: their own leader requests; the agency's seal/attachment ones for clerks."""
    mine = Q(kind=SignatureRequest.Kind.LEADER, signer=user)
    if user.agency_id and user.has_role(Role.CLERK):
        mine |= Q(
            kind__in=[SignatureRequest.Kind.SEAL, SignatureRequest.Kind.ATTACHMENT], agency_id=user.agency_id
        )
    return mine


def pending_requests(user: User, *, statuses=OPEN) -> QuerySet[SignatureRequest]:
    if not user.is_authenticated or not user.agency_id:
        return SignatureRequest.objects.none()
    return SignatureRequest.objects.filter(_requests_for(user), status__in=statuses).select_related(
        "requested_by"
    )


def signable_requests(user: User) -> QuerySet[SignatureRequest]:
    return pending_requests(user, statuses=SIGNABLE)


def visible_requests(user: User) -> QuerySet[SignatureRequest]:
    """Requests their signer, their requester or (seal requests) the agency's clerks may open, any status."""
    if not user.is_authenticated:
        return SignatureRequest.objects.none()
    visible = _requests_for(user) | Q(requested_by=user)
    return SignatureRequest.objects.filter(visible, agency_id=user.agency_id)


def signature_request_access(
    *, user: User, pk: int, lock: bool = False, signable: bool = False
) -> SignatureRequest:
    """A request the user may open (``visible_requests``), or with ``signable=True`` one they may sign now
    (``signable_requests``: theirs, still open or queued); the same 404 for a missing one and for anyone
    else's. ``lock=True`` locks the row (the caller is inside ``transaction.atomic``): PostgreSQL re-checks
    the filter once the lock is had, so a request signed meanwhile by someone else is no longer found."""
    requests = signable_requests(user) if signable else visible_requests(user)
    if lock:
        requests = requests.select_for_update(of=("self",))
    try:
        return requests.get(pk=pk)
    except SignatureRequest.DoesNotExist:
        raise Http404 from None


def credential_for(*, user: User, kind: str) -> Credential | None:
    """The credential ``user`` signs ``kind`` with: their own (leader), else the agency's seal (clerks)."""
    qs = Credential.objects.filter(is_active=True).select_related("agency", "owner")
    if kind == SignatureRequest.Kind.LEADER:
        qs = qs.filter(kind=CredentialKind.PERSON, owner=user)
    else:
        if not (user.agency_id and user.has_role(Role.CLERK)):
            return None
        qs = qs.filter(kind=CredentialKind.SEAL, agency_id=user.agency_id)
    return qs.order_by("-not_after", "-pk").first()


def credentials_of(user: User) -> QuerySet[Credential]:
    """The person's own certificates, plus the agency's seal certificates for clerks."""
    q = Q(kind=CredentialKind.PERSON, owner=user)
    if user.agency_id and user.has_role(Role.CLERK):
        q |= Q(kind=CredentialKind.SEAL, agency_id=user.agency_id)
    return (
        Credential.objects.filter(q, is_active=True).select_related("agency").order_by("kind", "-not_after")
    )


def batch_access(*, user: User, pk: int, lock: bool = False) -> SignatureBatch:
    """A batch its signer may open; the same 404 for a missing batch and for someone else's. ``lock=True``
    locks the row (the caller is inside ``transaction.atomic``)."""
    if not user.is_authenticated:
        raise Http404
    batches = SignatureBatch.objects.filter(signer_id=user.pk)
    if lock:
        batches = batches.select_for_update()
    try:
        return batches.get(pk=pk)
    except SignatureBatch.DoesNotExist:
        raise Http404 from None


def batch_items(batch: SignatureBatch) -> QuerySet[SignatureRequest]:
    return batch.items.order_by("pk")


def recent_logs(user: User, limit: int = 20) -> QuerySet[SignatureLog]:
    return SignatureLog.objects.filter(actor=user).select_related("credential")[:limit]


def public_record_for(sha256: str) -> PublicVerification | None:
    """The issued file with exactly these bytes, if this installation registered one for public lookup."""
    if not sha256:
        return None
    return PublicVerification.objects.filter(sha256=sha256).order_by("-created_at").first()

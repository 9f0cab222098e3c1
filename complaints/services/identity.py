"""The people behind a letter or a visit: stored apart from the case, every field encrypted
(``complaints.crypto``); a protected person's name is not even kept in the plain ``display_name``.
Reading a protected identity is allowed only to those ``rules.identity_entitled`` names and is logged."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints import crypto, rules
from complaints.models import ENCRYPTED_FIELDS, Identity, IdentityRead, Letter, Visit
from complaints.models.identity import PROTECTED_LABEL
from eoffice.models import User
from eoffice.search import fold

__all__ = [
    "match_key",
    "PROTECTED_LABEL",
    "PersonInput",
    "identities_add",
    "identity_label",
    "identity_reveal",
]


@dataclass
class PersonInput:
    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    note: str = ""
    role: str = Identity.Role.SIGNER
    protected: bool = False


def match_key(name: str, id_number: str = "") -> str:
    """A keyed hash of the person (folded name, and ID number when given) to find the same person's letters:
    equal people give equal keys; the key reveals nothing without the server's secret. Keyed with
    ``SECRET_KEY``: changing it makes earlier letters unmatchable until ``identity_keys rematch`` runs."""
    folded = " ".join(fold(name).split())
    if not folded:
        return ""
    secret = hmac.new(settings.SECRET_KEY.encode(), b"complaints-identity-match", hashlib.sha256).digest()
    text = f"{folded}|{''.join(id_number.split())}"
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()


def identities_add(
    *, people: list[PersonInput], by: User | None, letter: Letter | None = None, visit: Visit | None = None
) -> list[Identity]:
    """Store ``people`` for a letter or a visit (the caller's transaction). A protected person keeps no plain
    name; the others keep their name in ``display_name`` for lists and search."""
    if (letter is None) == (visit is None):
        raise ValueError("an identity belongs to a letter or to a visit")
    rows = []
    for order, person in enumerate(people):
        name = " ".join(person.name.split())
        if not name:
            raise ValidationError(_("Vui lòng nhập họ tên người gửi đơn."))
        row = Identity(
            letter=letter,
            visit=visit,
            role=person.role,
            order=order,
            protected=person.protected,
            display_name="" if person.protected else name[:255],
            received_by=by,
            match_key=match_key(name, person.id_number),
        )
        values = {**{f: getattr(person, f) for f in ENCRYPTED_FIELDS}, "name": name}
        for field in ENCRYPTED_FIELDS:
            setattr(row, f"{field}_enc", crypto.encrypt(str(values[field] or "").strip()))
        rows.append(row)
    return Identity.objects.bulk_create(rows)


def identity_label(identity: Identity) -> str:
    """What any page may print for a person: the name, or the protected label."""
    return identity.display_name or str(PROTECTED_LABEL)


def identity_reveal(
    *, identity: Identity, user: User, purpose: str, address: str | None = None
) -> dict[str, str]:
    """The decrypted fields of ``identity`` for ``user``. A protected identity: only for the entitled, and
    each read is an ``IdentityRead`` row, committed by this call when it runs outside a transaction (the
    reveal view calls it so; requests are not atomic), so a failure afterwards cannot roll the log back."""
    if not rules.identity_entitled(user, identity):
        raise PermissionDenied(_("Bạn không có quyền xem thông tin người tố cáo."))
    if identity.protected:
        with transaction.atomic():
            IdentityRead.objects.create(identity=identity, user=user, purpose=purpose[:100], address=address)
    return {field: crypto.decrypt(getattr(identity, f"{field}_enc")) for field in ENCRYPTED_FIELDS}

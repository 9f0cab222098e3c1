"""Who may sign an outgoing document with which prefix (Decree 30 Điều 13, Phụ lục I II.7).

The rules, for a document of agency A and a day D (today unless said):

* no prefix (ký trực tiếp): the head of agency A. The product has no "head" flag: a person with the role
  ``leader`` whose position does not start with "Phó" (Phó Giám đốc, Phó Chủ tịch…) is taken as the head;
  a leader whose position starts with "Phó" is a deputy (cấp phó).
* TM. (thay mặt tập thể): the head or a deputy of a collective body. Agencies carry no "collective" flag,
  so every leader of A may sign TM.
* KT. (ký thay người đứng đầu): a deputy leader of A (role leader, position "Phó…"), or anyone holding a
  valid KT. record (giao ký thay).
* Q. (quyền): only with a valid Q. record (giao quyền, for a period).
* TL. (thừa lệnh): the head of a unit of A (role department_head, position not "Phó…"). An agency that
  keeps TL. records (at least one TL. record exists for A, its quy chế written into the system) requires a
  valid TL. record instead, which may also name a deputy of the unit (Điều 13.4 "giao lại cho cấp phó").
* TUQ. (thừa ủy quyền): only with a valid TUQ. record (ủy quyền in writing, for a period and a scope).

A record (``SigningAuthorization``) is valid on D for a document type T when it belongs to A, is not
revoked, ``valid_from <= D <= valid_to`` (no end date: open), and its doc types are empty or contain T.
Records of other agencies are never read. The record used is stored on the document
(``OutgoingDocument.authorization``) and its ``authority_title`` is what the document prints.

The check runs when the draft is saved, when it is approved to the signer, and again inside the signing
transaction: a record that expired or was revoked in between refuses the signature with the reason.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.outgoing.models import OutgoingDocument, SignerAuthority, SigningAuthorization
from eoffice.models import Agency, AgencyRole, Role, User

Authority = SignerAuthority

# "Phó Giám đốc", "PHÓ CHỦ TỊCH", "Pho truong phong" and the decomposed "Pho\u0301": a deputy.
_DEPUTY_SQL = r"^\s*ph(o|ó|Ó)\u0301?(\s|$)"
_DEPUTY_RE = re.compile(r"^\s*ph[oó]\u0301?(\s|$)", re.IGNORECASE)

# Prefixes that a record can support (TM. and no prefix come from the person's place only).
RECORD_AUTHORITIES = tuple(SigningAuthorization.Authority.values)


def is_deputy(user: User) -> bool:
    """A deputy (cấp phó) by the position text: it starts with "Phó"."""
    return bool(_DEPUTY_RE.match(user.position or ""))


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def _with_role(agency_id: int, role: str) -> Q:
    holders = AgencyRole.objects.filter(agency_id=agency_id, role=role).values("group__user")
    return Q(pk__in=holders)


def staff_of(agency_id: int) -> QuerySet[User]:
    """The agency's active people, in the order the signer lists show them."""
    return (
        User.objects.filter(agency_id=agency_id, is_active=True)
        .select_related("department")
        .order_by("full_name", "pk")
    )


def valid_records(
    *, agency_id: int, authority: str, doc_type=None, on: date | None = None
) -> QuerySet[SigningAuthorization]:
    """The records of the agency valid on the day for the prefix (and the document type when given)."""
    day = _today(on)
    records = SigningAuthorization.objects.filter(
        agency_id=agency_id, authority=authority, revoked_at__isnull=True, valid_from__lte=day
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if doc_type is not None:
        scoped = SigningAuthorization.doc_types.through.objects.filter(signingauthorization_id=OuterRef("pk"))
        records = records.filter(
            ~Exists(scoped) | Exists(scoped.filter(documenttype_id=getattr(doc_type, "pk", doc_type)))
        )
    return records


def agency_keeps_tl_records(agency_id: int) -> bool:
    return SigningAuthorization.objects.filter(agency_id=agency_id, authority=Authority.TL).exists()


def _target(document_or_agency) -> tuple[int, object]:
    if isinstance(document_or_agency, Agency):
        return document_or_agency.pk, None
    if isinstance(document_or_agency, int):
        return document_or_agency, None
    return document_or_agency.agency_id, document_or_agency.doc_type_id


def allowed_signers(
    *, document_or_agency, authority: str, doc_type=None, on: date | None = None
) -> QuerySet[User]:
    """The active people of the agency who may sign with ``authority`` on the day (see the module's rules).
    ``document_or_agency``: an OutgoingDocument (its agency and type), an Agency or an agency id."""
    agency_id, document_type = _target(document_or_agency)
    doc_type = doc_type if doc_type is not None else document_type
    staff = staff_of(agency_id)
    deputy = Q(position__iregex=_DEPUTY_SQL)
    leaders = _with_role(agency_id, Role.LEADER)

    def by_record(kind: str) -> Q:
        grantees = valid_records(agency_id=agency_id, authority=kind, doc_type=doc_type, on=on)
        return Q(pk__in=grantees.values("grantee_id"))

    if authority == Authority.NONE:
        allowed = leaders & ~deputy
    elif authority == Authority.TM:
        allowed = leaders
    elif authority == Authority.KT:
        allowed = (leaders & deputy) | by_record(Authority.KT)
    elif authority == Authority.TL:
        if agency_keeps_tl_records(agency_id):
            allowed = by_record(Authority.TL)
        else:
            allowed = _with_role(agency_id, Role.DEPARTMENT_HEAD) & ~deputy
    elif authority in (Authority.Q, Authority.TUQ):
        allowed = by_record(authority)
    else:
        return User.objects.none()
    return staff.filter(allowed)


def authorization_for(*, user: User, authority: str, doc_type, on: date | None = None):
    """The record that lets ``user`` sign with ``authority`` a document of ``doc_type`` on the day, or None.
    Only records of the user's own agency count."""
    if not user.agency_id or authority not in RECORD_AUTHORITIES:
        return None
    return (
        valid_records(agency_id=user.agency_id, authority=authority, doc_type=doc_type, on=on)
        .filter(grantee_id=user.pk)
        .order_by("-valid_from", "-pk")
        .first()
    )


def _record_reason(*, document: OutgoingDocument, signer: User, day: date) -> str | None:
    """Why the signer's latest record for the prefix does not count on the day (expired, revoked, not yet
    valid, other types), or None when there is none."""
    latest = (
        SigningAuthorization.objects.filter(
            agency_id=document.agency_id, authority=document.signer_authority, grantee_id=signer.pk
        )
        .order_by("-valid_from", "-pk")
        .first()
    )
    if latest is None:
        return None
    values = {
        "prefix": document.signer_authority,
        "number": latest.decision_number,
        "name": signer.get_full_name(),
    }
    if latest.revoked_at is not None:
        values["day"] = timezone.localtime(latest.revoked_at).strftime("%d/%m/%Y")
        return _("Văn bản giao %(prefix)s số %(number)s cho %(name)s đã bị chấm dứt ngày %(day)s.") % values
    if latest.valid_to is not None and latest.valid_to < day:
        values["day"] = latest.valid_to.strftime("%d/%m/%Y")
        return (
            _("Văn bản giao %(prefix)s số %(number)s cho %(name)s đã hết hiệu lực sau ngày %(day)s.") % values
        )
    if latest.valid_from > day:
        values["day"] = latest.valid_from.strftime("%d/%m/%Y")
        return (
            _("Văn bản giao %(prefix)s số %(number)s cho %(name)s chỉ có hiệu lực từ ngày %(day)s.") % values
        )
    values["type"] = document.doc_type.name if document.doc_type_id else ""
    return _("Văn bản giao %(prefix)s số %(number)s không bao gồm loại văn bản %(type)s.") % values


def _rule_text(authority: str, agency_id: int) -> str:
    if authority == Authority.NONE:
        return _("Ký trực tiếp (không ghi thẩm quyền) chỉ dành cho người đứng đầu cơ quan.")
    if authority == Authority.TM:
        return _("TM. chỉ dành cho người đứng đầu hoặc cấp phó của cơ quan (lãnh đạo cơ quan).")
    if authority == Authority.KT:
        return _(
            "KT. dành cho cấp phó của người đứng đầu hoặc người được giao ký thay bằng văn bản còn hiệu lực."
        )
    if authority == Authority.Q:
        return _("Q. chỉ dùng khi có văn bản giao quyền còn hiệu lực.")
    if authority == Authority.TL:
        if agency_keeps_tl_records(agency_id):
            return _("TL. chỉ dùng khi có văn bản giao ký thừa lệnh còn hiệu lực.")
        return _("TL. dành cho người đứng đầu đơn vị thuộc cơ quan (trưởng phòng, chánh văn phòng…).")
    return _("TUQ. chỉ dùng khi có văn bản ủy quyền còn hiệu lực, đúng phạm vi và thời hạn.")


def authority_problem(*, document: OutgoingDocument, on: date | None = None) -> str | None:
    """Why the document's signer may not sign with its prefix on the day (a Vietnamese sentence), or None
    when the rules or a valid record allow it (also None while no signer is chosen)."""
    signer = document.signer
    if signer is None:
        return None
    authority = document.signer_authority or ""
    if authority not in SignerAuthority.values:
        return _("Thẩm quyền ký không hợp lệ.")
    if signer.agency_id != document.agency_id or not signer.is_active:
        return _("%(name)s không phải cán bộ đang làm việc của cơ quan.") % {"name": signer.get_full_name()}
    day = _today(on)
    allowed = allowed_signers(document_or_agency=document, authority=authority, on=day)
    if allowed.filter(pk=signer.pk).exists():
        return None
    label = authority or _("ký trực tiếp")
    text = _("%(name)s không được ký với thẩm quyền %(prefix)s.") % {
        "name": signer.get_full_name(),
        "prefix": label,
    }
    reason = (
        _record_reason(document=document, signer=signer, day=day) if authority in RECORD_AUTHORITIES else None
    )
    return " ".join(filter(None, [text, reason, _rule_text(authority, document.agency_id)]))


def record_for(*, document: OutgoingDocument, on: date | None = None):
    """The record to store on the document for its signer and prefix (None when the place alone allows)."""
    if document.signer is None:
        return None
    return authorization_for(
        user=document.signer, authority=document.signer_authority, doc_type=document.doc_type_id, on=on
    )


def confirm(*, document: OutgoingDocument, on: date | None = None, field: str = "signer_authority"):
    """Refuse (ValidationError on ``field``) a signer and prefix the rules do not allow on the day; else put
    the record used on the document (``authorization``, and its ``authority_title`` when it names one), in
    memory: the caller saves. Returns the record or None."""
    problem = authority_problem(document=document, on=on)
    if problem:
        raise ValidationError({field: problem} if field else problem)
    record = record_for(document=document, on=on)
    document.authorization = record
    if record is not None and record.authority_title.strip():
        document.authority_title = record.authority_title.strip()
    return record


def head_title(agency_id: int) -> str:
    """The head's title as printed above a prefix ("GIÁM ĐỐC"), from the head's position; "" if unknown."""
    head = allowed_signers(document_or_agency=agency_id, authority=Authority.NONE).first()
    return (head.position or "").strip().upper() if head is not None else ""


def default_authority(*, signer: User, doc_type, on: date | None = None) -> tuple[str, str]:
    """The prefix and title a signer signs with when the caller does not say (documents drafted by other
    modules: a meeting's notice, a complaint's decision): none for the head, KT. for a deputy, else the
    prefix of a valid record, else TL. for a unit head where the agency keeps no TL. records."""
    agency_id = signer.agency_id
    if not agency_id:
        return "", ""
    doc_type_id = getattr(doc_type, "pk", doc_type)

    def allows(authority: str) -> bool:
        return (
            allowed_signers(document_or_agency=agency_id, authority=authority, doc_type=doc_type_id, on=on)
            .filter(pk=signer.pk)
            .exists()
        )

    if allows(Authority.NONE):
        return "", ""
    if signer.has_role(Role.LEADER) and is_deputy(signer):
        return Authority.KT, head_title(agency_id)
    for authority in RECORD_AUTHORITIES:
        record = authorization_for(user=signer, authority=authority, doc_type=doc_type_id, on=on)
        if record is not None:
            return authority, record.authority_title or head_title(agency_id)
    if allows(Authority.TL):
        return Authority.TL, head_title(agency_id)
    return "", ""

"""Predicates of the complaints module: an agency's settings, who receives and handles letters, who decides,
who may do what to a case, who is entitled to a protected identity, and who sees which case (the SQL
filter of every list). Pure reads; the services stay the authority on every write."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from eoffice.models import Agency, Department, Role, User

from .models import Case, CaseMember, ComplaintSettings, Identity, Letter

INSPECTORATE_ABBREVIATION = "TTr"


def settings_for(agency: Agency | int) -> ComplaintSettings:
    """The agency's settings; an unsaved row with the defaults when it has none yet."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    found = ComplaintSettings.objects.filter(agency_id=agency_id).first()
    return found or ComplaintSettings(agency_id=agency_id)


def department_id(agency: Agency | int, config: ComplaintSettings | None = None) -> int | None:
    """The unit that receives citizens and handles letters: the configured one, else the inspectorate."""
    config = config or settings_for(agency)
    if config.department_id:
        return config.department_id
    agency_id = agency if isinstance(agency, int) else agency.pk
    return (
        Department.objects.filter(agency_id=agency_id, abbreviation=INSPECTORATE_ABBREVIATION, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


def _cached(user: User, key: str, agency_id: int, compute) -> bool:
    cache = user.__dict__.setdefault(f"_complaints_{key}", {})
    if agency_id not in cache:
        cache[agency_id] = bool(compute())
    return cache[agency_id]


def _agency_id(user: User, agency) -> int | None:
    if agency is None:
        return user.agency_id
    return agency if isinstance(agency, int) else agency.pk


def is_officer(user: User, agency: Agency | int | None = None) -> bool:
    """A reception / letter-handling officer of the agency: named in the settings, or a member of the
    handling unit (the inspectorate by default)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    agency_id = _agency_id(user, agency)
    if not agency_id or user.agency_id != agency_id:
        return False

    def compute() -> bool:
        config = settings_for(agency_id)
        if config.pk and config.officers.filter(pk=user.pk).exists():
            return True
        unit = department_id(agency_id, config)
        return bool(unit) and user.department_id == unit

    return _cached(user, "officer", agency_id, compute)


def deciders(agency: Agency | int) -> list[User]:
    """Who decides (người có thẩm quyền giải quyết): the configured people, else the agency's leaders."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    config = settings_for(agency_id)
    if config.pk:
        named = list(config.deciders.filter(is_active=True).order_by("pk"))
        if named:
            return named
    return list(
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__role=Role.LEADER,
            groups__agency_role__agency_id=agency_id,
        )
        .distinct()
        .order_by("pk")
    )


def default_decider(agency: Agency | int) -> User | None:
    """The head: the first decider whose position does not start with "Phó"."""
    people = deciders(agency)
    heads = [u for u in people if not (u.position or "").startswith("Phó")]
    return (heads or people or [None])[0]


def is_decider(user: User, agency: Agency | int | None = None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    agency_id = _agency_id(user, agency)
    if not agency_id or user.agency_id != agency_id:
        return False
    return _cached(user, "decider", agency_id, lambda: any(u.pk == user.pk for u in deciders(agency_id)))


def is_staff_of(user: User, agency: Agency | int | None = None) -> bool:
    """An officer or a decider: sees every case and letter of the agency (not the protected identities)."""
    return is_officer(user, agency) or is_decider(user, agency)


# ---- cases ---------------------------------------------------------------------------------------------


def is_member(user: User, case: Case) -> bool:
    return CaseMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists()


def is_unit_head(user: User, case: Case) -> bool:
    return bool(
        case.department_id
        and user.department_id == case.department_id
        and user.has_role(Role.DEPARTMENT_HEAD)
    )


def can_register(user: User) -> bool:
    """Enter a letter in the register: the officers, and the deciders (who open a second instance)."""
    return is_staff_of(user)


def can_intake(user: User, case: Case) -> bool:
    """Classify a case and give its intake outcome: the officers and the deciders of its agency."""
    return is_staff_of(user, case.agency_id)


def can_decide(user: User, case: Case) -> bool:
    """Sign off the decisions of a case (suspend, stop, continue, complexity, extension): the case's decider,
    or a decider of the agency when none was named."""
    if case.decider_id:
        return user.pk == case.decider_id
    return is_decider(user, case.agency_id)


def can_resolve(user: User, case: Case) -> bool:
    """Work on the resolution (case file, drafts, result): the handler, the head of the resolving unit, the
    lead verifier, the decider."""
    if user.agency_id != case.agency_id or not user.is_active:
        return False
    if user.pk == case.handler_id or can_decide(user, case) or is_unit_head(user, case):
        return True
    return CaseMember.objects.filter(
        case=case, user=user, removed_at__isnull=True, role=CaseMember.Role.LEAD
    ).exists()


def can_verify(user: User, case: Case) -> bool:
    """Add evidence and reports: any member of the verification team, and those who resolve."""
    return can_resolve(user, case) or is_member(user, case)


def visible_q(user: User, prefix: str = "") -> Q:
    """The cases ``user`` may see, as a filter (``prefix`` for a relation, e.g. "case__"): every case of the
    agency for its officers and deciders; otherwise those the user handles, verifies or whose unit heads."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return Q(pk__in=[])
    p = prefix
    agency = Q(**{f"{p}agency_id": user.agency_id})
    if is_staff_of(user):
        return agency
    mine = Q(**{f"{p}handler_id": user.pk}) | Q(
        Exists(
            CaseMember.objects.filter(
                case_id=OuterRef(f"{p}pk" if p else "pk"), user_id=user.pk, removed_at__isnull=True
            )
        )
    )
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        mine |= Q(**{f"{p}department_id": user.department_id})
    return agency & mine


def letter_visible_q(user: User) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return Q(pk__in=[])
    if is_staff_of(user):
        return Q(agency_id=user.agency_id)
    return Q(agency_id=user.agency_id) & Q(
        Exists(Case.objects.filter(visible_q(user), letter_id=OuterRef("pk")))
    )


# ---- identities ----------------------------------------------------------------------------------------


def identity_entitled(user: User, identity: Identity, letter: Letter | None = None) -> bool:
    """Whether ``user`` may read ``identity``. A protected one: only the officer who took it and the person
    who decides (the letter's decider, a case's decider, or the agency's decider when none is named) — not
    the verifiers, not the administrators. Others: whoever sees the letter or the visit."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if identity.letter_id:
        letter = letter or identity.letter
        agency_id = letter.agency_id
    else:
        agency_id = identity.visit.agency_id
    if user.agency_id != agency_id:
        return False
    if not identity.protected:
        if identity.visit_id:
            return is_staff_of(user, agency_id)
        return Letter.objects.filter(letter_visible_q(user), pk=identity.letter_id).exists()
    if user.pk == identity.received_by_id:
        return True
    if identity.visit_id:
        return is_decider(user, agency_id)
    if letter.decider_id:
        return user.pk == letter.decider_id or Case.objects.filter(letter=letter, decider_id=user.pk).exists()
    named = Case.objects.filter(letter=letter, decider__isnull=False).values_list("decider_id", flat=True)
    named = set(named)
    if named:
        return user.pk in named
    return is_decider(user, agency_id)

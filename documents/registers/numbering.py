"""Numbers that must never collide: one counter row per (register, year), locked FOR UPDATE.

    with transaction.atomic():
        number = numbering.issue(register=register, year=year)
        record.number, record.year = number, year
        record.save()

``issue`` must run inside the transaction that records the issuance: the counter's row lock is held until
that transaction ends, so two clerks issuing at once get consecutive numbers, and a rollback gives the
number back (no gap). A unique constraint (register, year, number) on the numbered table backs it up.
Used by incoming documents (số đến) and, later, by outgoing ones (số văn bản đi).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from documents.registers.models import Register, RegisterCounter


class NotInTransaction(RuntimeError):
    pass


def current_year() -> int:
    return timezone.localdate().year


def issue(*, register: Register, year: int | None = None) -> tuple[int, int]:
    """(year, number): the next number of ``register`` in ``year`` (default: this year, Vietnam time)."""
    if not connection.in_atomic_block:
        raise NotInTransaction("numbering.issue() must run inside transaction.atomic()")
    year = year or current_year()
    # Create the year's row if missing without racing: ON CONFLICT DO NOTHING, then lock it.
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(register=register, year=year, last_number=0)], ignore_conflicts=True
    )
    counter = RegisterCounter.objects.select_for_update().get(register=register, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return year, counter.last_number


def peek(*, register: Register, year: int | None = None) -> int:
    """The number the next issue would give (display only; never use it to number anything)."""
    year = year or current_year()
    last = (
        RegisterCounter.objects.filter(register=register, year=year)
        .values_list("last_number", flat=True)
        .first()
    )
    return (last or 0) + 1


def display(number: int | None) -> str:
    """Numbers below 10 take a leading zero (NĐ 30 Phụ lục I): 01, 02 … 10, 11."""
    return f"{number:02d}" if number else ""


@transaction.atomic
def default_register(*, agency, kind: str = Register.Kind.INCOMING) -> Register:
    """The agency's default register of ``kind``, created on first use."""
    register = Register.objects.filter(agency=agency, kind=kind, is_default=True).first()
    if register:
        return register
    name = "Sổ đăng ký văn bản đến" if kind == Register.Kind.INCOMING else "Sổ đăng ký văn bản đi"
    Register.objects.bulk_create(
        [Register(agency=agency, kind=kind, code="CHUNG", name=name, is_default=True)], ignore_conflicts=True
    )
    return Register.objects.get(agency=agency, kind=kind, is_default=True)


SECRET_NAMES = {
    Register.Kind.INCOMING: "Sổ đăng ký văn bản đến mật",
    Register.Kind.OUTGOING: "Sổ đăng ký văn bản đi mật",
}


@transaction.atomic
def secret_register(*, agency, kind: str) -> Register:
    """The agency's secret register of ``kind`` (Điều 16.3, 22.4: secret documents have their own series),
    created on first use with the code MAT."""
    registers = Register.objects.filter(agency=agency, kind=kind, is_active=True, is_secret=True)
    register = registers.order_by("-is_default", "pk").first()
    if register:
        return register
    # MAT, or MAT2, MAT3 … when an agency already gave that code to a register that is not an active secret
    # one (an ordinary document must never be numbered in it, nor a secret one in an ordinary register)
    taken = set(Register.objects.filter(agency=agency, kind=kind).values_list("code", flat=True))
    code = next(c for c in ("MAT", *(f"MAT{n}" for n in range(2, 100))) if c not in taken)
    Register.objects.bulk_create(
        [Register(agency=agency, kind=kind, code=code, name=SECRET_NAMES[kind], is_secret=True)],
        ignore_conflicts=True,
    )
    return registers.order_by("-is_default", "pk").first() or Register.objects.get(
        agency=agency, kind=kind, code=code
    )


def incoming_register_for(*, agency, register: Register | None, secret: bool) -> Register:
    """The register an incoming document takes its number from: a secret one always from a secret incoming
    register (its own series; the one chosen when it is secret, else the agency's); an ordinary one from
    the register chosen (never a secret one) or the default."""
    if secret:
        if register is not None and register.is_secret and register.kind == Register.Kind.INCOMING:
            return register
        return secret_register(agency=agency, kind=Register.Kind.INCOMING)
    if register is not None and not register.is_secret:
        return register
    return default_register(agency=agency)


# ---- outgoing documents ---------------------------------------------------------------------------------


def outgoing_register(*, agency, doc_type, secret: bool) -> Register:
    """The register (series) an outgoing document is numbered in, as the agency configured them:
    secret documents → the agency's secret register (its own series, created on first use); a register
    that lists the document's type → that one; otherwise the default outgoing register (one series)."""
    if secret:
        return secret_register(agency=agency, kind=Register.Kind.OUTGOING)
    registers = Register.objects.filter(agency=agency, kind=Register.Kind.OUTGOING, is_active=True)
    register = registers.filter(is_secret=False, doc_types=doc_type).order_by("pk").first()
    return register or default_register(agency=agency, kind=Register.Kind.OUTGOING)


def outgoing_symbol(*, doc_type, agency, department=None) -> str:
    """The symbol after the number (NĐ 30 Điều 15, Phụ lục I II.3): ``QĐ-UBND``; for công văn (no type
    abbreviation) the agency and the drafting unit: ``UBND-VP`` (the agency alone when no unit)."""
    agency_abbr = agency.abbreviation or ""
    if doc_type.abbreviation:
        return f"{doc_type.abbreviation}-{agency_abbr}"
    unit = getattr(department, "abbreviation", "") if department is not None else ""
    return f"{agency_abbr}-{unit}" if unit else agency_abbr


def number_symbol(number: int, symbol: str) -> str:
    return f"{display(number)}/{symbol}"

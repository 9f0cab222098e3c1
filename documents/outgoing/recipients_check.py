"""The printed "Nơi nhận" and the sending list as one list (Decree 30, Phụ lục I; issue 20 §4).

- ``expand_distribution``: the lines printed under "Nơi nhận", cleaned ("- ", ";", "." and notes in
  brackets dropped), "Như trên" replaced by the "Kính gửi" recipients, the heading and the "Lưu" line left
  out.
- ``reconcile``: those lines beside the sending list (the document's ``OutgoingRecipient`` rows). A line
  naming an agency of the directory (this installation's ``Agency`` or an ``ExternalAgency``) by its name,
  abbreviation or code, folded (case and diacritics ignored), must be delivered; every recipient must be
  printed.
- ``align_for_issue``: the check at issuance (inside its transaction): refused, naming them, when someone
  would be delivered who is not printed; the printed directory agencies missing from the list are added.
- ``recipient_drop``: the clerk takes an unprinted recipient off the list of a signed document (the printed
  text can no longer change).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Func, Q, Value
from django.utils.translation import gettext as _

from documents.exchange.models import ExternalAgency
from documents.outgoing.models import DeliveryStatus, OutgoingDocument, OutgoingRecipient
from eoffice.models import Agency, Role, User
from eoffice.search import fold, fold_sql
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

_BULLET = re.compile(r"^\s*(?:[-–—+*•·]+|\d{1,2}[.)]|[a-zđ][)])\s*", re.IGNORECASE)
_TRAILING = re.compile(r"[\s;,.:]+$")
_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "(để báo cáo)", "(b/c)", "(thực hiện)" at the end
_KINH_GUI = re.compile(r"^\s*k[íi]nh\s+g[ửu]i\s*:?\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Common abbreviations of agency names, both ways (folded).
_SHORT = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "tw": "trung uong",
}


def clean(line: str) -> str:
    """A printed line without its bullet, trailing punctuation and trailing note in brackets."""
    text = _KINH_GUI.sub("", _BULLET.sub("", line or ""))
    previous = None
    while previous != text:
        previous = text
        text = _NOTE.sub("", _TRAILING.sub("", text))
    return _SPACES.sub(" ", text).strip()


def key(text: str) -> str:
    """The form two names are compared in: cleaned, folded, one space, abbreviations written out."""
    words = fold(clean(text)).replace("-", " ").split()
    return " ".join(_SHORT.get(w, w) for w in words)


# "Như trên", "Như Điều 3", "Như khoản 2 Điều 1": lines that stand for recipients named in the text.
_REFERENCE = re.compile(r"^nhu (?:tren|dieu|khoan|diem|muc)\b")


def _is_as_above(folded: str) -> bool:
    return folded in {"nhu tren", "nhu tren:"}


def _is_dropped(folded: str) -> bool:
    """The heading ("Nơi nhận:") and the "Lưu" line are not recipients."""
    return (
        folded.startswith("noi nhan") or folded == "luu" or folded.startswith(("luu:", "luu ")) or not folded
    )


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def addressee_lines(document: OutgoingDocument) -> list[str]:
    """The "Kính gửi" recipients, cleaned (what "Như trên" stands for)."""
    found = []
    for raw in _lines(document.addressees):
        text = clean(raw)
        if text and not _is_dropped(fold(text)):
            found.append(text)
    return found


def expand_distribution(document: OutgoingDocument) -> list[str]:
    """The recipients printed under "Nơi nhận", "Như trên" expanded, each once, in order."""
    result: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        k = key(text)
        if k and k not in seen:
            seen.add(k)
            result.append(text)

    for raw in _lines(document.distribution):
        text = clean(raw)
        folded = fold(text)
        if _is_dropped(folded):
            continue
        if _is_as_above(folded):
            for addressee in addressee_lines(document):
                add(addressee)
        else:
            add(text)
    return result


# ---- the directory ------------------------------------------------------------------------------------


def _variants(k: str) -> set[str]:
    """The key and the key with the long forms shortened again (a directory may store "UBND tỉnh …")."""
    short = k
    for abbr, long in _SHORT.items():
        short = short.replace(long, abbr)
    return {k, short}


def _norm_sql(name: str):
    """``key``'s comparison form inside the query: folded, hyphens and runs of spaces as one space."""
    return Func(fold_sql(name), Value(r"[\s-]+"), Value(" "), Value("g"), function="REGEXP_REPLACE")


def _directory_matches(
    keys: Iterable[str], *, exclude_agency: int | None
) -> dict[str, Agency | ExternalAgency]:
    """Each key naming exactly one active directory entry by name or code -> that entry (two queries).

    A key naming two entries (two provinces' committees of one name) names none."""
    wanted: dict[str, str] = {}
    for k in keys:
        for v in _variants(k):
            wanted[v] = k
    if not wanted:
        return {}
    values = list(wanted)
    found: dict[str, set] = {}
    agencies = (
        Agency.objects.filter(is_active=True)
        .exclude(pk=exclude_agency)
        .annotate(k_name=_norm_sql("name"), k_code=_norm_sql("code"))
        .filter(Q(k_name__in=values) | Q(k_code__in=values))
    )
    externals = (
        ExternalAgency.objects.filter(active=True)
        .annotate(k_name=_norm_sql("name"), k_code=_norm_sql("code"))
        .filter(Q(k_name__in=values) | Q(k_code__in=values))
    )
    for entry in [*agencies, *externals]:
        for value in {entry.k_name, entry.k_code}:
            if value in wanted:
                found.setdefault(wanted[value], set()).add(entry)
    return {k: entry for k, entries in found.items() if (entry := _one(entries)) is not None}


def _one(entries: set) -> Agency | ExternalAgency | None:
    """The installation's agency first (the directory of the exchange may list it too); one, or none."""
    inside = [e for e in entries if isinstance(e, Agency)]
    chosen = inside or list(entries)
    return chosen[0] if len(chosen) == 1 else None


def _abbreviation_matches(keys: list[str], *, exclude_agency: int | None) -> dict[str, Agency]:
    """Keys that are the abbreviation of exactly one active agency of the installation (one query)."""
    if not keys:
        return {}
    found: dict[str, list[Agency]] = {}
    agencies = (
        Agency.objects.filter(is_active=True)
        .exclude(pk=exclude_agency)
        .exclude(abbreviation="")
        .annotate(k_abbr=_norm_sql("abbreviation"))
        .filter(k_abbr__in=keys)
    )
    for agency in agencies:
        found.setdefault(agency.k_abbr, []).append(agency)
    return {k: entries[0] for k, entries in found.items() if len(entries) == 1}


# ---- reconciliation -----------------------------------------------------------------------------------


@dataclass
class Reconciliation:
    """The printed lines beside the sending list."""

    missing_in_distribution: list[str] = field(default_factory=list)  # sent to, not printed
    not_delivered: list[str] = field(default_factory=list)  # printed directory agency, not sent to
    printed: list[str] = field(default_factory=list)  # the expanded Nơi nhận
    matched: dict[str, Agency | ExternalAgency] = field(default_factory=dict)  # printed line -> directory
    to_add: list[Agency | ExternalAgency] = field(default_factory=list)  # entries of ``not_delivered``
    unprinted: list[OutgoingRecipient] = field(default_factory=list)  # rows of ``missing_in_distribution``
    sent: list[str] = field(default_factory=list)  # printed lines in the sending list

    @property
    def ok(self) -> bool:
        return not self.missing_in_distribution and not self.not_delivered


def reconcile(
    *, document: OutgoingDocument, sending: Iterable[OutgoingRecipient] | None = None
) -> Reconciliation:
    """Compare the expanded "Nơi nhận" with ``sending`` (default: the document's recipients)."""
    rows = list(document.recipients.all() if sending is None else sending)
    printed = expand_distribution(document)
    keys = {line: key(line) for line in printed}
    directory = _directory_matches(set(keys.values()), exclude_agency=document.agency_id)
    # the abbreviation is matched apart: only when the key is not already a name
    directory |= _abbreviation_matches(
        [k for k in keys.values() if k not in directory], exclude_agency=document.agency_id
    )
    matched = {line: directory[k] for line, k in keys.items() if k in directory}
    printed_keys = set(keys.values())
    printed_agencies = {e.pk for e in matched.values() if isinstance(e, Agency)}
    printed_externals = {e.pk for e in matched.values() if isinstance(e, ExternalAgency)}
    result = Reconciliation(printed=printed, matched=matched)
    for row in rows:
        if row.agency_id and row.agency_id in printed_agencies:
            continue
        if row.external_agency_id and row.external_agency_id in printed_externals:
            continue
        if _variants(key(row.name)) & printed_keys:
            continue
        result.missing_in_distribution.append(row.name)
        result.unprinted.append(row)
    sent_agencies = {r.agency_id for r in rows if r.agency_id}
    sent_externals = {r.external_agency_id for r in rows if r.external_agency_id}
    sent_keys = set().union(*(_variants(key(r.name)) for r in rows))
    for line in printed:
        entry = matched.get(line)
        sent = keys[line] in sent_keys or (
            entry is not None and entry.pk in (sent_agencies if isinstance(entry, Agency) else sent_externals)
        )
        if sent:
            result.sent.append(line)
        elif entry is not None:
            result.not_delivered.append(line)
            result.to_add.append(entry)
    return result


def problem(*, document: OutgoingDocument) -> str | None:
    """One Vietnamese sentence for a checklist, None when the two lists agree."""
    result = reconcile(document=document)
    messages = []
    if result.missing_in_distribution:
        messages.append(
            _("Gửi đến nhưng không in ở Nơi nhận: %(names)s.")
            % {"names": "; ".join(result.missing_in_distribution)}
        )
    if result.not_delivered:
        messages.append(
            _("In ở Nơi nhận nhưng chưa có trong danh sách gửi: %(names)s.")
            % {"names": "; ".join(result.not_delivered)}
        )
    return " ".join(messages) or None


# ---- one list: the printed Nơi nhận composed from Kính gửi, the chosen recipients and free lines ---------

_EMAIL_PART = re.compile(r"\s*<[^<>]*>\s*$")
AS_ABOVE = "Như trên"
# The states the reconciliation is shown in (before issuance; the draft's lists can still change).
CHECKED_STATES = (
    WorkflowState.NEW,
    WorkflowState.RETURNED,
    WorkflowState.SUBMITTED,
    WorkflowState.FORMAT_CHECK,
    WorkflowState.SIGNING,
    WorkflowState.SIGNED,
)


def _recipient_row(entry: Agency | ExternalAgency | str) -> OutgoingRecipient:
    if isinstance(entry, Agency):
        return OutgoingRecipient(agency=entry, name=entry.name)
    if isinstance(entry, ExternalAgency):
        return OutgoingRecipient(external_agency=entry, name=entry.name)
    return OutgoingRecipient(name=_EMAIL_PART.sub("", entry).strip() or entry.strip())


def compose_distribution(
    *, agency_id: int | None, addressees: str, free: str, recipients: Iterable[Agency | ExternalAgency | str]
) -> str:
    """The printed "Nơi nhận" (one line each, without "Lưu"): "Như trên" when there are Kính gửi
    recipients, every chosen recipient the lines do not already name, then the drafter's free lines.

    ``recipients``: the chosen agencies (of the installation or the exchange directory) and the names of
    the outside recipients ("Name <email>" or "Name"). Composing again from the result changes nothing."""
    kept = [line.strip() for line in _lines(free) if not _is_dropped(fold(clean(line)))]
    head: list[str] = []
    addressee_keys = {key(line) for line in addressee_lines(OutgoingDocument(addressees=addressees))}
    if addressee_keys and not any(
        _is_as_above(fold(clean(line))) or key(line) in addressee_keys for line in kept
    ):
        head.append(AS_ABOVE)
    probe = OutgoingDocument(agency_id=agency_id, addressees=addressees, distribution="\n".join(head + kept))
    rows = [_recipient_row(entry) for entry in recipients if entry]
    missing = reconcile(document=probe, sending=rows).missing_in_distribution
    # the chosen recipients go after the "Như trên" / "Như Điều 3" lines (first in the decree's samples)
    at = max((i + 1 for i, line in enumerate(kept) if _REFERENCE.match(fold(clean(line)))), default=0)
    names: dict[str, str] = {}  # each once, by its first spelling
    for name in missing:
        names.setdefault(key(name), name)
    return "\n".join(head + kept[:at] + list(names.values()) + kept[at:])


def free_lines(document: OutgoingDocument) -> str:
    """The printed lines the drafter typed (the form's field): the bare recipient names the composition
    added are left out (it adds them back while the recipient is chosen); a line the drafter typed for a
    recipient ("- Sở Tài chính (để phối hợp);") stays, with its note."""
    added = {r.name.strip() for r in document.recipients.all()}
    return "\n".join(line for line in _lines(document.distribution) if line.strip() not in added)


# ---- writes -------------------------------------------------------------------------------------------


def _row_for(document: OutgoingDocument, entry: Agency | ExternalAgency) -> OutgoingRecipient:
    if isinstance(entry, Agency):
        return OutgoingRecipient(
            document=document, agency=entry, name=entry.name, channel=OutgoingRecipient.Channel.INTERNAL
        )
    return OutgoingRecipient(
        document=document, external_agency=entry, name=entry.name, channel=OutgoingRecipient.Channel.EXCHANGE
    )


def align_for_issue(*, document: OutgoingDocument) -> list[OutgoingRecipient]:
    """At issuance, inside its transaction with ``document`` locked: refuse when a recipient is not
    printed (naming them); add the printed directory agencies the list lacks. Returns the rows added."""
    result = reconcile(document=document)
    if result.missing_in_distribution:
        raise ValidationError(
            _(
                "Không phát hành: văn bản sẽ được gửi đến nơi không có trong “Nơi nhận” in trên văn bản: "
                "%(names)s. Hãy bỏ các nơi này khỏi danh sách gửi hoặc trả lại dự thảo để sửa Nơi nhận."
            )
            % {"names": "; ".join(result.missing_in_distribution)}
        )
    rows = [_row_for(document, entry) for entry in result.to_add]
    OutgoingRecipient.objects.bulk_create(rows)
    return rows


def recipient_drop(*, document: OutgoingDocument, recipient_pk: int, by: User) -> OutgoingDocument:
    """The clerk takes a recipient not printed in "Nơi nhận" off the sending list of a signed document."""
    from documents.outgoing.services.common import locked_for

    if not by.agency_id or by.agency_id != document.agency_id or not by.has_role(Role.CLERK):
        raise PermissionDenied
    with transaction.atomic():
        locked = locked_for(document, by)
        if locked.state != WorkflowState.SIGNED:
            raise ValidationError(_("Chỉ bỏ nơi nhận của văn bản đã ký, chưa phát hành."))
        recipient = locked.recipients.filter(pk=recipient_pk, status=DeliveryStatus.PENDING).first()
        if recipient is None:
            raise ValidationError(_("Không tìm thấy nơi nhận này trong danh sách chờ gửi."))
        if recipient.pk not in {r.pk for r in reconcile(document=locked).unprinted}:
            raise ValidationError(
                _("%(name)s có trong Nơi nhận in trên văn bản, không bỏ khỏi danh sách gửi.")
                % {"name": recipient.name}
            )
        recipient.delete()
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=_("Bỏ khỏi danh sách gửi (không có trong Nơi nhận): %(name)s") % {"name": recipient.name},
        )
    return locked


__all__ = [
    "AS_ABOVE",
    "CHECKED_STATES",
    "Reconciliation",
    "compose_distribution",
    "free_lines",
    "addressee_lines",
    "align_for_issue",
    "clean",
    "expand_distribution",
    "key",
    "problem",
    "recipient_drop",
    "reconcile",
]

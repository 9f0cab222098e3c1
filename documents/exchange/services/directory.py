"""The directory of outside agencies, synchronised from a transport (the axis' ``getAgenciesList``, or
another installation's node): names and both codes; what was added, changed and deactivated is kept on
the ``DirectorySync`` row for the admin. This installation's own agencies are left out."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

import documents.exchange.services.common as common
from documents.exchange.edxml import codes
from documents.exchange.models import DirectorySync, ExternalAgency

logger = logging.getLogger(__name__)

FIELDS = ("name", "parent_name", "address", "email", "phone", "fax", "website")


def _codes(item: dict) -> tuple[str | None, str | None]:
    code = codes.normalise(str(item.get("code") or "")) or None
    qd20 = codes.normalise(str(item.get("code_qd20") or "")) or None
    if code and codes.kind_of(code) == "qd20" and not qd20:
        code, qd20 = codes.to_qcvn102(code), code
    if code and len(code) > 13:
        code = None
    if code and not qd20:
        qd20 = codes.to_qd20(code)
    if qd20 and not code:
        code = codes.to_qcvn102(qd20)
    return code, (qd20[:35] if qd20 else None)


def _existing(code: str | None, qd20: str | None) -> ExternalAgency | None:
    for value in (code, qd20):
        if value:
            found = common.external_agency(value)
            if found is not None:
                return found
    return None


def directory_sync(*, transport: str) -> DirectorySync:
    """Synchronise the outside agencies reached by ``transport``; never raises (the error is kept)."""
    sync = DirectorySync.objects.create(transport=transport)
    try:
        items = list(common.transport(transport).agencies())
    except Exception as error:  # the transport is down: nothing changed, the admin sees why
        logger.warning("exchange: directory sync from %s failed: %s", transport, error)
        sync.error = str(error)[:2000] or error.__class__.__name__
        sync.finished_at = timezone.now()
        sync.save(update_fields=["error", "finished_at"])
        return sync
    now = timezone.now()
    added, changed, seen = [], [], set()
    with transaction.atomic():
        for item in items:
            code, qd20 = _codes(item)
            name = str(item.get("name") or "").strip()[:255]
            if not (code or qd20) or not name:
                continue
            if common.local_agency(code or qd20) is not None:
                continue  # one of ours
            values = {f: str(item.get(f) or "").strip()[:255] for f in FIELDS}
            values["name"] = name
            agency = _existing(code, qd20)
            if agency is None:
                agency = ExternalAgency.objects.create(
                    code=code,
                    code_qd20=qd20,
                    transport=transport,
                    source=ExternalAgency.Source.DIRECTORY,
                    synced_at=now,
                    **values,
                )
                added.append({"code": agency.organ_id, "name": name})
            else:
                diff = {
                    f: [getattr(agency, f), v]
                    for f, v in {
                        **values,
                        "code": code or agency.code,
                        "code_qd20": qd20 or agency.code_qd20,
                    }.items()
                    if getattr(agency, f) != v
                }
                if not agency.active:
                    diff["active"] = [False, True]
                for f, (_old, new) in diff.items():
                    setattr(agency, f, new)
                agency.transport = transport
                agency.source = ExternalAgency.Source.DIRECTORY
                agency.synced_at = now
                agency.save()
                if diff:
                    changed.append({"code": agency.organ_id, "name": agency.name, "changes": diff})
            seen.add(agency.pk)
        gone = list(
            ExternalAgency.objects.filter(
                transport=transport, source=ExternalAgency.Source.DIRECTORY, active=True
            ).exclude(pk__in=seen)
        )
        ExternalAgency.objects.filter(pk__in=[a.pk for a in gone]).update(active=False, synced_at=now)
        sync.added = added
        sync.changed = changed
        sync.deactivated = [{"code": a.organ_id, "name": a.name} for a in gone]
        sync.finished_at = timezone.now()
        sync.save()
    return sync

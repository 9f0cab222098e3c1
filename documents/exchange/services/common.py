"""What the exchange services share: the transport a key names, the retry policy, the agencies a code
names (ours and the outside ones), the after-commit queueing of the worker's tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q

from documents.exchange.edxml import codes
from documents.exchange.models import ExternalAgency
from eoffice.models import Agency

QUEUE = "celery"


def transport(key: str):
    """The transport named ``key`` in ``settings.EXCHANGE_TRANSPORTS`` (national axis or eoffice node)."""
    from documents.exchange.transport import transport_for

    return transport_for(key)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failure: exponential from the base, capped."""
    base = max(1, int(settings.EXCHANGE_RETRY_BASE_SECONDS))
    cap = max(base, int(settings.EXCHANGE_RETRY_MAX_SECONDS))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def max_attempts() -> int:
    return max(1, int(settings.EXCHANGE_RETRY_MAX_ATTEMPTS))


def _code_q(code: str, *, field: str = "code", field_qd20: str = "code_qd20") -> Q:
    code = codes.normalise(code or "")
    wanted = {code}
    for other in (codes.to_qd20(code), codes.to_qcvn102(code)):
        if other:
            wanted.add(other)
    return Q(**{f"{field}__in": wanted}) | Q(**{f"{field_qd20}__in": wanted})


def local_agency(code: str) -> Agency | None:
    """The agency of this installation that a code (either form) names."""
    if not (code or "").strip():
        return None
    return Agency.objects.filter(_code_q(code)).order_by("pk").first()


def external_agency(code: str) -> ExternalAgency | None:
    if not (code or "").strip():
        return None
    return ExternalAgency.objects.filter(_code_q(code)).order_by("-active", "pk").first()


def external_for_sender(*, code: str, name: str, transport_key: str) -> ExternalAgency:
    """The outside agency a package or status came from; entered on first contact (reached back by the
    transport it came by)."""
    found = external_agency(code)
    if found is not None:
        return found
    code = codes.normalise(code)
    values = {
        "name": (name or code)[:255],
        "transport": transport_key,
        "source": ExternalAgency.Source.MANUAL,
    }
    if codes.kind_of(code) == "qcvn102" or (codes.kind_of(code) is None and len(code) <= 13):
        values["code"] = code
        values["code_qd20"] = codes.to_qd20(code)
    else:
        values["code_qd20"] = code[:35]
        values["code"] = codes.to_qcvn102(code)
    return ExternalAgency.objects.create(**values)


def same_code(a: str, b: str) -> bool:
    return bool(a and b) and (codes.normalise(a) == codes.normalise(b) or codes.same_agency(a, b))


def queue_task(name: str, args_list: Iterable[tuple], *, countdown: float | None = None) -> None:
    """After the surrounding transaction commits, one task per argument tuple."""
    batches = [tuple(a) for a in args_list]
    if not batches:
        return

    from documents.exchange import tasks
    from eoffice.outbox import enqueue

    task = getattr(tasks, name)
    for args in batches:
        enqueue(task, args=args, queue=QUEUE, countdown=countdown)

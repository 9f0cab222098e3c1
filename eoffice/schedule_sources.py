"""Other modules' rows for the weekly schedule's citizen-reception days (lịch tiếp công dân).

The weekly schedule (``meetings``) shows the reception days entered on its own pages and, beside them,
whatever a registered source gives. A business app registers its source in its ``AppConfig.ready``::

    from eoffice import schedule_sources
    schedule_sources.register_reception_source(my_days)

where ``my_days(agency_id, start_date, end_date)`` returns an iterable of :class:`ReceptionRow` (or of
dicts with the same keys) for the days from ``start_date`` to ``end_date`` included. eoffice imports no
business app: the sources come to it. A source that fails is logged and left out, so that one module's
error never takes the schedule down.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReceptionRow:
    """One reception session: the day, the hours, the leader who receives (``leader_id`` when the leader is
    a user of the installation, and the name to print), the place and a note; ``source`` names the module."""

    date: dt.date
    leader_name: str
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    leader_id: int | None = None
    place: str = ""
    note: str = ""
    source: str = ""


Source = Callable[[int, dt.date, dt.date], Iterable]

_SOURCES: list[Source] = []
_FIELDS = {f.name for f in fields(ReceptionRow)}


def register_reception_source(fn: Source) -> Source:
    """Add ``fn`` to the sources (once; registering it again does nothing). Usable as a decorator."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def unregister_reception_source(fn: Source) -> None:
    if fn in _SOURCES:
        _SOURCES.remove(fn)


def reception_sources() -> list[Source]:
    return list(_SOURCES)


def _row(value) -> ReceptionRow:
    if isinstance(value, ReceptionRow):
        return value
    return ReceptionRow(**{key: val for key, val in dict(value).items() if key in _FIELDS})


def reception_rows(agency_id: int, start_date: dt.date, end_date: dt.date) -> list[ReceptionRow]:
    """Every source's rows for the agency and the days from ``start_date`` to ``end_date`` included, by
    day and hour."""
    rows: list[ReceptionRow] = []
    for source in _SOURCES:
        try:
            rows.extend(
                row
                for row in map(_row, source(agency_id, start_date, end_date) or ())
                if start_date <= row.date <= end_date
            )
        except Exception:  # one module's error must not take the schedule down
            logger.exception("reception source %r failed", source)
    return sorted(rows, key=lambda r: (r.date, r.start_time or dt.time.min, r.leader_name))

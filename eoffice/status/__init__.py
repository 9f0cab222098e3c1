"""The "Tình trạng hệ thống" page — see selectors.py. Other apps add their own blocks to it here, in their
``AppConfig.ready`` (eoffice imports no business app):

    from eoffice.status import register_section
    register_section("exchange", exchange_status)   # exchange_status() -> Section

A section callable takes no argument, reads a few counts (one or two queries) and returns a ``Section``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    label: object
    value: object
    tone: str = ""  # "", "ok", "warn" or "bad"


@dataclass(frozen=True)
class Section:
    title: object
    lines: list[Line] = field(default_factory=list)
    note: object = ""


_SECTIONS: dict[str, Callable[[], Section]] = {}


def register_section(key: str, func: Callable[[], Section]) -> None:
    _SECTIONS[key] = func


def section_funcs() -> list[Callable[[], Section]]:
    return [_SECTIONS[key] for key in sorted(_SECTIONS)]

"""Minutes (biên bản) and the conclusion notice."""

from __future__ import annotations

__all__ = ["conclusion_issued"]


def conclusion_issued(*, document, by) -> None:
    """``document`` was issued: when it is a meeting's Thông báo kết luận, its tasks become work items."""

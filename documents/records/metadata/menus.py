"""Menu entries of the metadata package: the access changes awaiting confirmation (a badge for the leaders
and agency admins), the agency admin's custom fields, and the outgoing documents' report (V.4)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role


def _pending(user) -> int:
    from documents.records.metadata.selectors import pending_count

    return pending_count(user)


def _can_see_outgoing_report(user) -> bool:
    from documents.stats.outgoing import can_view

    return can_view(user)


def register_all() -> None:
    # The outgoing documents' report (V.4, documents.stats.outgoing) sits beside the statistics entry.
    register_menu(
        MenuItem(
            key="documents.stats_outgoing",
            section="documents",
            label=_("Báo cáo văn bản đi"),
            url_name="documents:stats_outgoing",
            icon="chart",
            order=51,
            can_open=_can_see_outgoing_report,
        )
    )
    register_menu(
        MenuItem(
            key="documents.access_changes",
            section="records",
            label=_("Thay đổi quyền truy cập"),
            url_name="documents:access_change_list",
            icon="lock",
            order=80,
            counter=_pending,
            counter_tone="alert",
            todo=_("thay đổi quyền truy cập chờ xác nhận"),
            todo_rank=40,
        )
    )
    register_menu(
        MenuItem(
            key="documents.custom_fields",
            section="agency",
            label=_("Trường dữ liệu bổ sung"),
            url_name="documents:custom_fields",
            icon="settings",
            order=90,
            roles=frozenset({Role.AGENCY_ADMIN}),
        )
    )

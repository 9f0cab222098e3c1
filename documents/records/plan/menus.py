"""The "Danh mục hồ sơ" menu entry (section "records"): every member of an agency (the office drafts the
plan, leaders read it, everybody opens their files from the approved one).

Registered by ``documents.apps.DocumentsConfig.ready`` (``from documents.records.plan import menus;
menus.register_all()``), which also connects the plan's receivers of the outgoing flow
(``receivers.connect()``) and registers its demo data (``demo.seed_file_plans``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu


def may_open(user) -> bool:
    return bool(getattr(user, "agency_id", None))


def register_all() -> None:
    from documents.records.plan import receivers
    from documents.records.plan.demo import seed_file_plans
    from eoffice import demo

    register_menu(
        MenuItem(
            key="records.fileplan",
            section="records",
            label=_("Danh mục hồ sơ"),
            url_name="documents:fileplan_list",
            icon="folder",
            order=5,
            can_open=may_open,
        )
    )
    receivers.connect()
    demo.register_seeder(seed_file_plans)

"""What the workflow app adds to the shell: menu entries, a dashboard widget, notification kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.dashboard import Widget
from eoffice.dashboard import register as register_widget
from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role
from eoffice.notifications import register_kind


def _widget_context(user):
    from workflow import selectors

    if not user.agency_id:
        return None
    counts = dict(selectors.my_work_badges(user))
    if not counts["total"]:
        return None  # the dashboard then shows its "nothing to do yet" state
    counts["on_time"] = counts["total"] - counts["overdue"] - counts["due_soon"]
    return {"counts": counts, "items": list(selectors.my_work(user=user)[:5])}


def _open_count(user) -> int:
    from workflow import selectors

    return selectors.my_work_badges(user)["total"]


def _overdue_count(user) -> int:
    from workflow import selectors

    return selectors.my_work_badges(user)["overdue"]


def register_all() -> None:
    register_kind("workflow.assigned", _("Được giao việc, giao xử lý"), email_default=True)
    register_kind("workflow.progress", _("Báo cáo tiến độ, hoàn thành phần việc"))
    register_kind("workflow.workitem", _("Thay đổi trạng thái công việc"))
    register_kind("workflow.due_soon", _("Việc sắp đến hạn"), email_default=True)
    register_kind("workflow.overdue", _("Việc quá hạn (nhắc nhở)"), email_default=True)
    register_kind("workflow.criticism", _("Việc quá hạn kéo dài (phê bình)"), email_default=True)
    register_kind("workflow.digest", _("Tóm tắt công việc hằng ngày"))

    register_menu(
        MenuItem(
            key="workflow.my_work",
            section="work",
            label=_("Việc của tôi"),
            url_name="workflow:my_work",
            icon="briefcase",
            order=10,
            counter=_open_count,
        )
    )
    register_menu(
        MenuItem(
            key="workflow.overdue",
            section="work",
            label=_("Việc quá hạn"),
            url_name="workflow:my_work_overdue",
            icon="alert",
            order=11,
            counter=_overdue_count,
            counter_tone="alert",
        )
    )
    register_menu(
        MenuItem(
            key="workflow.work_items",
            section="work",
            label=_("Giao việc"),
            url_name="workflow:workitem_list",
            icon="send",
            order=20,
            roles=frozenset({Role.LEADER, Role.DEPARTMENT_HEAD}),
        )
    )
    register_menu(
        MenuItem(
            key="workflow.work_items_mine",
            section="work",
            label=_("Công việc được giao"),
            url_name="workflow:workitem_list_mine",
            icon="check",
            order=15,
        )
    )
    register_menu(
        MenuItem(
            key="workflow.notification_settings",
            section="home",
            label=_("Cài đặt thông báo"),
            url_name="workflow:notification_settings",
            icon="settings",
            order=95,
        )
    )
    register_widget(
        Widget(
            key="workflow.my_work",
            template="workflow/_widget_my_work.html",
            context=_widget_context,
            order=10,
        )
    )

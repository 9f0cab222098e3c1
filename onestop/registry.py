"""What the one-stop app adds to the shell: menu entries with counters and notification kinds."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role
from eoffice.notifications import register_kind

ONESTOP, LEADER, HEAD, OFFICER = Role.ONESTOP_OFFICER, Role.LEADER, Role.DEPARTMENT_HEAD, Role.OFFICER
WORKERS = {ONESTOP, LEADER, HEAD, OFFICER}

# key, label, icon, roles, order, tone, dashboard card text (pending work), its rank
QUEUE_MENU = [
    ("todo", _("Hồ sơ cần xử lý"), "tasks", WORKERS, 41, "info", _("Hồ sơ một cửa bạn cần xử lý"), 20),
    (
        "online",
        _("Hồ sơ trực tuyến mới"),
        "inbox",
        {ONESTOP},
        42,
        "info",
        _("Hồ sơ nộp trực tuyến chờ tiếp nhận"),
        10,
    ),
    (
        "returning",
        _("Chờ trả kết quả"),
        "check",
        {ONESTOP},
        43,
        "info",
        _("Hồ sơ có kết quả, chờ trả công dân"),
        30,
    ),
    ("supplement", _("Chờ công dân bổ sung"), "clock", {ONESTOP, LEADER}, 44, "info", None, 100),
    ("overdue", _("Hồ sơ quá hạn"), "alert", WORKERS, 45, "alert", _("Hồ sơ một cửa đã quá hạn"), 35),
]


def _count(queue: str, user) -> int:
    from onestop import selectors

    return selectors.queue_counts(user, tuple(k for k, *_rest in QUEUE_MENU))[queue]


def _preview(queue: str, user, n: int) -> list[tuple[str, str]]:
    from onestop import selectors

    rows = selectors.queue(user, queue).order_by("-submitted_at", "-id")[:n]
    return [(f"{d} · {d.applicant_name}", d.get_absolute_url()) for d in rows]


def _can_receive(user) -> bool:
    """The reception view's check (``onestop.views``): a one-stop officer of an agency."""
    return bool(user.agency_id) and user.has_role(ONESTOP)


def _can_see_stats(user) -> bool:
    """The statistics views' check: a scope (the agency, or the head's unit)."""
    from onestop.stats import selectors as stats

    return stats.scope_for(user) is not None


# How the timeline names the dossier's transitions (the engine's verbs keep their own labels).
ACTION_LABELS = {
    "accept": _("Tiếp nhận hồ sơ"),
    "ask_complete": _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refuse_reception": _("Từ chối tiếp nhận"),
    "hand_to_unit": _("Chuyển phòng chuyên môn"),
    "assign_officer": _("Phân công thụ lý"),
    "submit_review": _("Trình lãnh đạo phòng"),
    "submit_approval": _("Trình lãnh đạo phê duyệt"),
    "forward_approval": _("Trình lãnh đạo phê duyệt"),
    "to_signing": _("Phê duyệt, chuyển ký số"),
    "cancel_signing": _("Rút lại yêu cầu ký"),
    "ask_supplement": _("Yêu cầu công dân bổ sung"),
    "supplement_received": _("Nhận hồ sơ bổ sung"),
    "refuse": _("Trả lại hồ sơ, không giải quyết"),
    "stop": _("Dừng xử lý hồ sơ"),
    "hand_over": _("Trả kết quả cho công dân"),
    "extend": _("Hẹn lại ngày trả kết quả"),
}


def register_all() -> None:
    from workflow.models import ACTIONS, ActionInfo

    for name, label in ACTION_LABELS.items():
        ACTIONS.setdefault(name, ActionInfo(label))
    register_kind("onestop.submitted", _("Hồ sơ một cửa nộp trực tuyến"), email_default=True)
    register_kind("onestop.assigned", _("Hồ sơ một cửa chuyển đến tôi"), email_default=False)
    register_kind("onestop.deadline", _("Hồ sơ một cửa sắp đến hạn, quá hạn"), email_default=True)
    register_menu(
        MenuItem(
            key="onestop.receive",
            section="onestop",
            label=_("Tiếp nhận hồ sơ"),
            url_name="onestop:receive",
            icon="plus",
            roles=frozenset({ONESTOP}),
            can_open=_can_receive,
            order=40,
        )
    )
    for key, label, icon, roles, order, tone, todo, rank in QUEUE_MENU:
        register_menu(
            MenuItem(
                key=f"onestop.{key}",
                section="onestop",
                label=label,
                url_name="onestop:queue",
                url_kwargs={"queue": key},
                icon=icon,
                order=order,
                roles=frozenset(roles),
                counter=partial(_count, key),
                counter_tone=tone,
                todo=todo,
                todo_rank=rank,
                preview=partial(_preview, key) if todo else None,
            )
        )
    register_menu(
        MenuItem(
            key="onestop.all",
            section="onestop",
            label=_("Tra cứu hồ sơ"),
            url_name="onestop:list",
            icon="search",
            roles=frozenset(WORKERS),
            order=46,
        )
    )
    register_menu(
        MenuItem(
            key="onestop.stats",
            section="onestop",
            label=_("Thống kê, sổ theo dõi"),
            url_name="onestop:stats",
            icon="chart",
            roles=frozenset({ONESTOP, LEADER, HEAD}),
            can_open=_can_see_stats,
            order=47,
        )
    )

"""Menu entries of the signing app."""

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem, register
from eoffice.models import Role


def _pending_count(user) -> int:
    from signing import selectors

    return selectors.pending_requests(user=user).count()


def _pending_preview(user, n: int) -> list[tuple[str, str]]:
    from django.urls import reverse

    from signing import selectors

    page = reverse("signing:pending")
    rows = selectors.pending_requests(user=user).order_by("-created_at", "-id")[:n]
    return [(r.title, r.source_url or page) for r in rows]


register(
    MenuItem(
        key="signing.pending",
        label=_("Chờ ký"),
        url_name="signing:pending",
        icon="pen",
        section="documents",
        order=40,
        roles=frozenset({Role.LEADER, Role.CLERK, Role.DEPARTMENT_HEAD}),  # unit heads sign TL., TUQ.
        counter=_pending_count,
        todo=_("Văn bản chờ bạn ký số"),
        todo_rank=10,
        preview=_pending_preview,
    )
)
register(
    MenuItem(
        key="signing.verify",
        label=_("Kiểm tra chữ ký số"),
        url_name="signing:verify",
        icon="shield",
        section="documents",
        order=41,
    )
)
register(
    MenuItem(
        key="signing.certificates",
        label=_("Chứng thư số của tôi"),
        url_name="signing:certificates",
        icon="key",
        section="agency",
        order=50,
    )
)

from django.conf import settings

from eoffice.menu import kept_count, menu_for
from eoffice.search import search_page_url
from eoffice.selectors import unread_count


def shell(request):
    """What the layout needs: the menu with its counters, the unread notifications count, the search page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": settings.EOFFICE_SITE_NAME}
    return {
        "site_name": settings.EOFFICE_SITE_NAME,
        "menu_sections": lambda: menu_for(user, request.path),
        "unread_notifications": lambda: _unread(user),
        "search_url": search_page_url,
    }


def _unread(user) -> int:
    """The unread count of the bell: the menu's "Thông báo" badge when the menu was read in this request
    (the same figure, kept and forgotten with the badges: a notification to the person and their own
    actions forget it), else counted."""
    kept = kept_count(user, "notifications")
    return unread_count(user) if kept is None else kept

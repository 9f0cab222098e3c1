from django.conf import settings

from eoffice.menu import menu_for
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
        "unread_notifications": lambda: unread_count(user),
        "search_url": search_page_url,
    }

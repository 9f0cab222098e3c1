from django.conf import settings

from eoffice.menu import menu_for
from eoffice.selectors import unread_count


def shell(request):
    """What the layout needs: the menu with its counters and the unread notifications count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": settings.EOFFICE_SITE_NAME}
    return {
        "site_name": settings.EOFFICE_SITE_NAME,
        "menu_sections": lambda: menu_for(user, request.path),
        "unread_notifications": lambda: unread_count(user),
    }

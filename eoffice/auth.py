"""Authentication backend: Django's, loading the signed-in person with what every page shows of them."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class Backend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` (run once per request) joins the agency, its parent and the
    department: the top bar and the permission filters read them on every page, which otherwise costs
    three more queries per request."""

    def get_user(self, user_id):
        from eoffice.models import User

        try:
            user = User._default_manager.select_related("agency", "agency__parent", "department").get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

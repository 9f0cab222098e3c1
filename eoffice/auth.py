"""Authentication: the backend, and the password-reset page limited per client address and per account."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.http import HttpResponseRedirect

from eoffice.ratelimit import client_address, digest, over_limit

logger = logging.getLogger(__name__)


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


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page, with at most EOFFICE_PASSWORD_RESET_LIMITS requests per client address and per
    e-mail address (the account) in a window. Past a limit nothing is sent and the same "sent" page shows,
    as for an address without an account: the page never tells whether an account exists."""

    def form_valid(self, form):
        limits = settings.EOFFICE_PASSWORD_RESET_LIMITS
        address = client_address(self.request)
        limit, window = limits["address"]
        by_address = over_limit(f"password-reset:address:{address}", limit=limit, window=window)
        limit, window = limits["account"]
        email_key = digest(form.cleaned_data["email"])
        by_account = over_limit(f"password-reset:account:{email_key}", limit=limit, window=window)
        if by_address or by_account:
            logger.warning(
                "password reset refused: too many requests (%s) from %s",
                "address" if by_address else "account",
                address,
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

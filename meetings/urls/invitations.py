"""invitations pages."""

urlpatterns: list = []

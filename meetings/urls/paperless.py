"""paperless pages."""

urlpatterns: list = []

"""booking pages."""

urlpatterns: list = []

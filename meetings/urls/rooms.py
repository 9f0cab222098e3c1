"""rooms pages."""

urlpatterns: list = []

"""minutes pages."""

urlpatterns: list = []

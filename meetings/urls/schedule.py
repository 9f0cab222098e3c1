"""schedule pages."""

urlpatterns: list = []

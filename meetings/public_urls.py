"""The public week (no login) for agencies that publish."""

app_name = "meetings_public"

urlpatterns: list = []

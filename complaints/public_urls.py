"""The public pages (no login) at /don-thu/: filing online, tracking by code, published answers."""

app_name = "complaints_public"

urlpatterns: list = []

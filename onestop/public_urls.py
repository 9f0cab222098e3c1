from django.urls import path
from django.views.generic import RedirectView

app_name = "onestop_public"

urlpatterns = [path("tra-cuu/", RedirectView.as_view(url="/"), name="track")]

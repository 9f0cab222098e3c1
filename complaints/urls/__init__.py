from django.urls import path
from django.views.generic import RedirectView

from complaints.actions import CASE_ACTIONS
from complaints.urls import answers, cases, files, letters, reception, registers, resolution, stats

app_name = "complaints"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="complaints:cases"), name="home"),
    path("cases/<int:pk>/act/<slug:action>/", CASE_ACTIONS.view, name="act"),
    path("cases/<int:pk>/act/<slug:action>/<int:part>/", CASE_ACTIONS.view, name="act_part"),
    *cases.urlpatterns,
    *letters.urlpatterns,
    *reception.urlpatterns,
    *resolution.urlpatterns,
    *files.urlpatterns,
    *registers.urlpatterns,
    *stats.urlpatterns,
    *answers.urlpatterns,
]

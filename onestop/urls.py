from django.urls import include, path

from . import views
from .actions import DOSSIER_ACTIONS

app_name = "onestop"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("queue/<slug:queue>/", views.dossier_list, name="queue"),
    path("receive/", views.receive, name="receive"),
    path("receive/papers/", views.receive_papers, name="receive_papers"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/check/", DOSSIER_ACTIONS.view, {"action": "check"}, name="check"),
    path("<int:pk>/act/<slug:action>/", DOSSIER_ACTIONS.view, name="act"),
    path("<int:pk>/forms/<int:number>/", views.form_pdf, name="form"),
    path("<int:pk>/letters/<str:form>/", views.letter_draft, name="letter_draft"),
    path("<int:pk>/papers/<int:paper>/", views.paper_file, name="paper_file"),
    path("<int:pk>/result/", views.result_file, name="result_file"),
    path("stats/", include("onestop.stats.urls")),
]

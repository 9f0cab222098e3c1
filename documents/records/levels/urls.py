from django.urls import path

from documents.records.levels import views

urlpatterns = [
    path("records/levels/", views.level_list, name="info_levels"),
    path("case-files/<int:pk>/level/", views.casefile_level, name="casefile_level"),
]

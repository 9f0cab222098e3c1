from django.urls import path

from documents.records.metadata import views

urlpatterns = [
    path("records/custom-fields/", views.custom_fields, name="custom_fields"),
    path("records/metadata/<str:kind>/<int:pk>/values/", views.values_save, name="metadata_values"),
    path("records/access-changes/", views.change_list, name="access_change_list"),
    path("records/access-changes/<int:pk>/decide/", views.change_decide, name="access_change_decide"),
    path("records/access/incoming/<int:pk>/revoke/", views.revoke_request, name="access_revoke_request"),
    path("records/access/casefile/<int:pk>/rights/", views.rights_request, name="casefile_rights_request"),
]

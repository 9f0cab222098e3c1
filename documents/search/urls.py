from django.urls import path

from documents.search import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/export/", views.search_export, name="search_export"),
    path("search/saved/", views.saved_create, name="search_saved_create"),
    path("search/saved/<int:pk>/delete/", views.saved_delete, name="search_saved_delete"),
]

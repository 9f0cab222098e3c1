"""Pages of the paperless meeting (họp không giấy); its writes post to meetings:act / meetings:act_part."""

from django.urls import path

from meetings.views import paperless as views

urlpatterns = [
    path("<int:pk>/paperless/", views.paperless_page, name="paperless"),
    path("<int:pk>/files/<int:file_id>/", views.file_view, name="paperless_file"),
    path("<int:pk>/votes/<int:vote_id>/results.xlsx", views.vote_export, name="vote_export"),
]

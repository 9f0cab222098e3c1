from django.urls import path

from complaints.views import letters

urlpatterns = [
    path("letters/<int:pk>/", letters.letter_detail, name="letter"),
]

from django.urls import path

from complaints.views import answers

urlpatterns = [
    path("answers/", answers.answers_published, name="answers_published"),
    path("cases/<int:pk>/answer/", answers.answer_publish, name="answer_publish"),
    path("cases/<int:pk>/answer/withdraw/", answers.answer_withdraw, name="answer_withdraw"),
]

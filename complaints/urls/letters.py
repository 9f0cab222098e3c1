"""The sổ xử lý đơn: the register, a new letter, a letter's page, taking an online letter; the printed intake
forms of a case."""

from django.urls import path

from complaints.views import letters

urlpatterns = [
    path("letters/", letters.letter_list, name="letters"),
    path("letters/new/", letters.letter_new, name="letter_new"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter"),
    path("letters/<int:pk>/take/", letters.letter_take, name="letter_take"),
    path("cases/<int:pk>/intake-proposal.pdf", letters.intake_proposal_pdf, name="case_intake_proposal"),
    path("cases/<int:pk>/guidance.pdf", letters.guidance_pdf, name="case_guidance_pdf"),
]

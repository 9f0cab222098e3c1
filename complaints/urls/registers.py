from django.urls import path

from complaints.views import registers

urlpatterns = [
    path("registers/", registers.registers_page, name="registers"),
    path("registers/visits.<slug:fmt>", registers.register_visits, name="register_visits"),
    path("registers/letters.<slug:fmt>", registers.register_letters, name="register_letters"),
    path("export/cases.json", registers.export_cases, name="export"),
]

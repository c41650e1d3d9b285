from django.urls import path

from recruitment import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("applicants/", views.applicant_list, name="applicant_list"),
    path("applicants/suggest/", views.applicant_suggest, name="applicant_suggest"),
    path("applicants/report/", views.applicant_report, name="applicant_report"),
    path("applicants/export.<str:fmt>", views.applicant_export, name="applicant_export"),
    path("applicants/<int:pk>/", views.applicant_detail, name="applicant_detail"),
]

from django.urls import path

from recruitment import (
    applicant_views,
    bulk_views,
    language_views,
    queue_views,
    saved_view_views,
    vacancy_views,
    views,
)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("language/", language_views.language_set, name="language_set"),
    path("applicants/", views.applicant_list, name="applicant_list"),
    path("applicants/bulk/", bulk_views.applications_bulk, name="applications_bulk"),
    path("applicants/views/", saved_view_views.saved_view_create, name="saved_view_create"),
    path("applicants/views/menu/", views.saved_view_menu, name="saved_view_menu"),
    path(
        "applicants/views/<int:pk>/delete/",
        saved_view_views.saved_view_delete,
        name="saved_view_delete",
    ),
    path("applicants/suggest/", views.applicant_suggest, name="applicant_suggest"),
    path("applicants/report/", views.applicant_report, name="applicant_report"),
    path("applicants/export.<str:fmt>", views.applicant_export, name="applicant_export"),
    path("applicants/new/", applicant_views.applicant_create, name="applicant_create"),
    path("applicants/<int:pk>/", applicant_views.applicant_detail, name="applicant_detail"),
    path("applicants/<int:pk>/edit/", applicant_views.applicant_edit, name="applicant_edit"),
    path("applicants/<int:pk>/cv/", applicant_views.applicant_cv, name="applicant_cv"),
    path(
        "applicants/<int:pk>/applications/",
        applicant_views.application_create,
        name="application_create",
    ),
    path("applicants/<int:pk>/notes/", applicant_views.note_create, name="note_create"),
    path("applicants/<int:pk>/tags/", applicant_views.tags_update, name="tags_update"),
    path("vacancies/", vacancy_views.vacancy_index, name="vacancy_list"),
    path("vacancies/new/", vacancy_views.vacancy_create, name="vacancy_create"),
    path("vacancies/<int:pk>/", vacancy_views.vacancy_board_page, name="vacancy_board"),
    path("vacancies/<int:pk>/edit/", vacancy_views.vacancy_edit, name="vacancy_edit"),
    path("notes/<int:pk>/edit/", applicant_views.note_update, name="note_update"),
    path("notes/<int:pk>/delete/", applicant_views.note_remove, name="note_remove"),
    path("applications/<int:pk>/move/", applicant_views.application_move, name="application_move"),
    path(
        "applications/<int:pk>/close/", applicant_views.application_close, name="application_close"
    ),
    path(
        "applications/<int:pk>/reopen/",
        applicant_views.application_reopen,
        name="application_reopen",
    ),
    path("applications/<int:pk>/ratings/", applicant_views.rating_create, name="rating_create"),
    path("emails/<int:pk>/resend/", queue_views.email_resend, name="email_resend"),
    path("exports/<int:pk>/", queue_views.export_job_page, name="export_job"),
    path(
        "exports/<int:pk>/progress/",
        queue_views.export_job_progress,
        name="export_job_progress",
    ),
    path(
        "exports/<int:pk>/download/",
        queue_views.export_job_download,
        name="export_job_download",
    ),
    path("bulk-jobs/<int:pk>/", queue_views.bulk_job_page, name="bulk_job"),
    path(
        "bulk-jobs/<int:pk>/progress/",
        queue_views.bulk_job_progress,
        name="bulk_job_progress",
    ),
]

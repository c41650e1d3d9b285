from django.contrib.auth.decorators import login_not_required
from django.urls import path

from privacy.views import access_log, applicants, bases, renewal, requests

app_name = "privacy"

urlpatterns = [
    # Public: the candidates' links and form.
    path("privacy/renew/<str:token>/", login_not_required(renewal.renew), name="renew"),
    path("privacy/request/", login_not_required(requests.request_ask), name="request"),
    path(
        "privacy/request/verify/<str:token>/",
        login_not_required(requests.request_verify),
        name="request_verify",
    ),
    # Staff.
    path(
        "applicants/<int:pk>/legal-bases/new/",
        bases.legal_basis_create,
        name="legal_basis_create",
    ),
    path(
        "applicants/<int:pk>/personal-data/",
        applicants.applicant_privacy,
        name="applicant_privacy",
    ),
    path(
        "applicants/<int:pk>/personal-data/export/",
        applicants.applicant_export,
        name="applicant_export",
    ),
    path(
        "applicants/<int:pk>/personal-data/erase/",
        applicants.applicant_erase,
        name="applicant_erase",
    ),
    path(
        "applicants/<int:pk>/personal-data/restrict/",
        applicants.applicant_restrict,
        name="applicant_restrict",
    ),
    path("privacy/requests/", requests.request_queue, name="request_queue"),
    path("privacy/requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("privacy/requests/<int:pk>/close/", requests.request_close, name="request_close"),
    path("privacy/access-log/users/<int:pk>/", access_log.user_access_log, name="user_access_log"),
]

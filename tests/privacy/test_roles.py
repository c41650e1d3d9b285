"""Every privacy URL, walked as anonymous, no role, interviewer, recruiter and admin
(as tests/recruitment/test_roles.py walks recruitment's)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import get_resolver, reverse
from django.utils import timezone

from privacy.models import SubjectRequest
from recruitment.factories import ApplicationFactory, UserFactory, VacancyFactory

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ("anonymous", "no_role", "interviewer", "recruiter", "admin")

# route: (method, subject, expected status per role in ROLES order). The interviewer is
# assigned to the applicant's vacancy: even so, personal data are the admins' alone.
ACCESS = {
    # Recruiters record a legal basis for the applicants they enter by hand.
    "legal_basis_create": ("get", "applicant", (LOGIN, 403, 403, 200, 200)),
    "applicant_privacy": ("get", "applicant", (LOGIN, 403, 403, 403, 200)),
    "applicant_export": ("post", "applicant", (LOGIN, 403, 403, 403, 200)),
    "applicant_erase": ("get", "applicant", (LOGIN, 403, 403, 403, 200)),
    "applicant_restrict": ("post", "applicant", (LOGIN, 403, 403, 403, 200)),
    "request_queue": ("get", None, (LOGIN, 403, 403, 403, 200)),
    "request_detail": ("get", "request", (LOGIN, 403, 403, 403, 200)),
    "request_close": ("post", "request", (LOGIN, 403, 403, 403, 200)),
    "user_access_log": ("get", "user", (LOGIN, 403, 403, 403, 200)),
}
# The candidates' pages: open to everyone, signed in or not.
PUBLIC = {"renew", "request", "request_verify"}


def test_the_tables_cover_every_privacy_url():
    names = {pattern.name for pattern in get_resolver("privacy.urls").url_patterns}

    assert names == set(ACCESS) | PUBLIC


@pytest.fixture
def world(recruiter, admin_user):
    interviewer = UserFactory(username="ivan")
    interviewer.groups.add(Group.objects.get_or_create(name="interviewers")[0])
    application = ApplicationFactory(vacancy=VacancyFactory())
    application.vacancy.interviewers.add(interviewer)
    request = SubjectRequest.objects.create(
        kind="export", email="x@example.com", due_at=timezone.now(),
        applicant=application.applicant,
    )  # fmt: skip
    users = {
        "anonymous": None, "no_role": UserFactory(username="nobody"),
        "interviewer": interviewer, "recruiter": recruiter, "admin": admin_user,
    }  # fmt: skip
    subjects = {"applicant": application.applicant, "request": request, "user": recruiter}
    return {"users": users, "subjects": subjects}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ACCESS))
def test_each_role_gets_what_it_may(client, world, route, role):
    method, subject, expected = ACCESS[route]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    args = [] if subject is None else [world["subjects"][subject].pk]

    response = getattr(client, method)(reverse(f"privacy:{route}", args=args))

    want = expected[ROLES.index(role)]
    if want == LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == want, (route, role)


@pytest.mark.parametrize("role", ["interviewer", "recruiter", "admin"])
def test_the_personal_data_link_is_shown_to_admins_only(client, world, role):
    client.force_login(world["users"][role])

    html = client.get(f"/applicants/{world['subjects']['applicant'].pk}/").content.decode()

    assert ("/personal-data/" in html) == (role == "admin")

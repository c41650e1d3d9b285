"""An interviewer sees, of an applicant they may see, only their vacancies' applications
with those applications' notes, ratings and e-mails; recruiters and admins see all."""

import pytest
from django.contrib.auth.models import Group

from recruitment.factories import ApplicationFactory, UserFactory, VacancyFactory
from recruitment.models import Stage
from recruitment.services import note_add, rating_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(recruiter):
    """One applicant with an application the interviewer works on and one they do not."""
    interviewer = UserFactory(username="ivan")
    interviewer.groups.add(Group.objects.get_or_create(name="interviewers")[0])
    theirs = ApplicationFactory(vacancy=VacancyFactory(title="QA Engineer"), stage=Stage.INTERVIEW)
    theirs.vacancy.interviewers.add(interviewer)
    other = ApplicationFactory(
        applicant=theirs.applicant,
        vacancy=VacancyFactory(title="Secret Director Role"),
        stage=Stage.INTERVIEW,
    )
    applicant = theirs.applicant
    note_add(applicant=applicant, application=theirs, body="<p>QA went well</p>", actor=recruiter)
    note_add(applicant=applicant, application=other, body="<p>Salary 30k</p>", actor=recruiter)
    note_add(applicant=applicant, body="<p>Speaks Polish</p>", actor=recruiter)
    rating_add(application=theirs, criterion="technical", rating=4, actor=recruiter)
    rating_add(application=other, criterion="technical", rating=1, actor=recruiter)
    return {"interviewer": interviewer, "applicant": applicant}


def page(client, user, applicant):
    client.force_login(user)
    response = client.get(f"/applicants/{applicant.pk}/")
    assert response.status_code == 200
    return response


def test_an_interviewer_sees_only_their_vacancys_application_notes_and_ratings(client, person):
    response = page(client, person["interviewer"], person["applicant"])
    html = response.content.decode()

    assert "QA Engineer" in html and "QA went well" in html
    assert "Speaks Polish" in html
    assert "Secret Director Role" not in html and "Salary 30k" not in html
    assert response.context["ratings"]["overall"] == 4
    assert response.context["ratings"]["count"] == 1


@pytest.mark.parametrize("role", ["recruiter", "admin_user"])
def test_recruiters_and_admins_see_every_application(client, person, role, request):
    response = page(client, request.getfixturevalue(role), person["applicant"])
    html = response.content.decode()

    assert "Secret Director Role" in html and "Salary 30k" in html and "QA went well" in html
    assert response.context["ratings"]["count"] == 2

import pytest

from interviews.factories import InterviewKindFactory
from recruitment.factories import ApplicationFactory, UserFactory
from recruitment.models import Stage
from tests.conftest import role


def interviewer_for(vacancy, username: str, **names):
    """A person in the interviewers group, assigned to `vacancy`."""
    person = UserFactory(username=username, **names)
    person.groups.add(role("interviewers"))
    vacancy.interviewers.add(person)
    return person


@pytest.fixture
def application(db):
    return ApplicationFactory(
        stage=Stage.INTERVIEW,
        applicant__first_name="Łucja",
        applicant__last_name="Śliwińska",
        applicant__email="lucja@example.com",
        vacancy__title="Python Developer",
    )


@pytest.fixture
def kind(db):
    return InterviewKindFactory(name="Technical")


@pytest.fixture
def ivan(application):
    return interviewer_for(application.vacancy, "ivan", first_name="Iwan", last_name="Żak")


@pytest.fixture
def ola(application):
    return interviewer_for(application.vacancy, "ola", first_name="Ola", last_name="Óbłaś")

"""The admin: kinds (with their candidate mail) are edited there; interviews and
scorecards are read there, changed only through the pages' services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.factories import InterviewFactory
from interviews.models import InterviewKind, Scorecard

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_kind_with_its_candidate_mail(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        "/admin/interviews/interviewkind/add/",
        {
            "name": "Pair programming",
            "position": "5",
            "duration_minutes": "120",
            "is_active": "on",
            "subject": "Programowanie w parach: $vacancy",
            "body": "Dzień dobry $first_name, zapraszamy $when.",
        },
    )

    assert response.status_code == 302
    assert InterviewKind.objects.get(name="Pair programming").duration_minutes == 120


def test_interviews_and_scorecards_are_read_only_there(client, admin_user, application, kind, ivan):
    interview = InterviewFactory(
        application=application,
        kind=kind,
        starts_at=timezone.now() - timedelta(hours=2),
        interviewers=[ivan],
    )
    card = Scorecard.objects.create(interview=interview, interviewer=ivan, recommendation=2)
    client.force_login(admin_user)

    listed = client.get("/admin/interviews/interview/")
    shown = client.get(f"/admin/interviews/scorecard/{card.pk}/change/")
    adding = client.get("/admin/interviews/interview/add/")

    assert listed.status_code == 200 and "Łucja Śliwińska" in listed.content.decode()
    assert shown.status_code == 200
    assert adding.status_code == 403


def test_the_usual_kinds_come_with_the_migration():
    names = list(InterviewKind.objects.values_list("name", flat=True))

    assert names == ["Phone screen", "Technical", "Culture", "Final"]

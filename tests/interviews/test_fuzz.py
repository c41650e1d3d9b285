"""The interview pages under the recruitment fuzz pass's generated input (see
tests/recruitment/test_fuzz.py): no request may end in a server error."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import strategies as st

from interviews.factories import InterviewFactory
from interviews.models import Scorecard
from tests.interviews.conftest import interviewer_for
from tests.recruitment.test_fuzz import TRICKY_IDS, form, fuzz, query

pytestmark = pytest.mark.django_db


def local(days: int, hour: int) -> str:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def test_no_generated_input_gets_a_server_error(recruiter, application, kind, ivan, capsys):
    interviewer_for(application.vacancy, "ola")
    upcoming = InterviewFactory(application=application, kind=kind, interviewers=[ivan, recruiter])
    held = InterviewFactory(
        application=application,
        kind=kind,
        starts_at=timezone.now() - timedelta(hours=3),
        interviewers=[recruiter, ivan],
    )
    card = Scorecard.objects.create(interview=held, interviewer=ivan, recommendation=3)
    schedule = {
        "kind": str(kind.pk), "starts_at": local(3, 10), "ends_at": local(3, 11),
        "time_zone": "Europe/Warsaw", "location": "Kraków", "video_link": "https://x.example/a",
        "interviewers": st.lists(st.sampled_from([str(ivan.pk), *TRICKY_IDS]), max_size=3),
        "send_invitations": "on", "next": "/vacancies/",
    }  # fmt: skip
    scores = {
        "rating_technical": "4", "rating_communication": "3", "rating_team_fit": "5",
        "recommendation": "4", "comment": "Dobrze",
    }  # fmt: skip
    pages = [
        ("get", "/interviews/calendar/", query(["week", "interviewer", "vacancy"])),
        ("get", "/interviews/", query(["page"])),
        ("post", f"/applications/{application.pk}/interviews/new/", form(schedule)),
        ("post", f"/interviews/{upcoming.pk}/edit/", form(schedule)),
        ("post", f"/interviews/{held.pk}/status/", form({"status": "done"})),
        ("post", f"/interviews/{held.pk}/scorecard/", form(scores)),
        ("post", f"/scorecards/{card.pk}/amend/", form({"body": "Dopisek"})),
    ]
    client = Client()
    client.force_login(recruiter)

    tried = sum(fuzz(client, method, url, strategy) for method, url, strategy in pages)

    with capsys.disabled():
        print(f"\ninterviews fuzz: {tried} requests over {len(pages)} pages, 0 server errors")

"""Each main page, rendered in Polish, shows none of the project's own English strings.

"English" here is every msgid of locale/pl/LC_MESSAGES/django.po whose Polish differs
(so "CV" or "LinkedIn", the same in both, do not count) and that holds no placeholder: a
text node or a visible attribute equal to one of them was left untranslated.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from careers.factories import PostingFactory
from interviews.factories import InterviewFactory
from recruitment.factories import ApplicationFactory, SourceFactory, UserFactory
from recruitment.models import Stage, UserLanguage
from tests.conftest import role

pytestmark = pytest.mark.django_db

VISIBLE_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt"}


def _catalogue_english() -> set[str]:
    text = (Path(settings.BASE_DIR) / "locale/pl/LC_MESSAGES/django.po").read_text()
    english = set()
    for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.MULTILINE):
        if msgid != msgstr and "%" not in msgid and "{" not in msgid:
            english.add(msgid.replace('\\"', '"'))
    return english


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        self.texts += [
            value.strip() for name, value in attrs if name in VISIBLE_ATTRIBUTES and value
        ]

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _untranslated(html: str, english: set[str]) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return sorted({text for text in parser.texts if text in english})


@pytest.fixture
def polish_recruiter_client(recruiter):
    recruiter.groups.add(role("interviewers"))
    UserLanguage.objects.create(user=recruiter, language="pl")
    client = Client()
    client.post("/accounts/login/", {"username": "rita", "password": "secret-password"})
    return client


def test_the_check_finds_english(polish_recruiter_client):
    assert _untranslated(
        "<p>Dashboard</p><input placeholder='Find an applicant…'>", _catalogue_english()
    ) == [
        "Dashboard",
        "Find an applicant…",
    ]


def test_the_recruiters_pages_are_all_polish(polish_recruiter_client, recruiter):
    application = ApplicationFactory(
        applicant__first_name="Łucja",
        applicant__last_name="Żółć",
        # Sources are the recruiters' own words (data, not the interface's).
        applicant__source=SourceFactory(name="Polecenie"),
        stage=Stage.INTERVIEW,
    )
    application.vacancy.recruiters.add(recruiter)
    interview = InterviewFactory(application=application, interviewers=[recruiter])
    english = _catalogue_english()
    pages = [
        reverse("dashboard"),
        reverse("applicant_list"),
        reverse("applicant_report"),
        reverse("applicant_detail", args=[application.applicant.pk]),
        reverse("applicant_create"),
        reverse("vacancy_list"),
        reverse("vacancy_board", args=[application.vacancy.pk]),
        reverse("vacancy_create"),
        reverse("interviews:mine"),
        reverse("interviews:calendar"),
        reverse("interviews:detail", args=[interview.pk]),
    ]
    for url in pages:
        response = polish_recruiter_client.get(url)
        assert response.status_code == 200, url
        assert _untranslated(response.content.decode(), english) == [], (
            url,
            _untranslated(response.content.decode(), english),
        )


def test_the_careers_pages_are_all_polish():
    posting = PostingFactory(vacancy__title="Programistka Python, Poznań")
    english = _catalogue_english()
    visitor = Client(HTTP_ACCEPT_LANGUAGE="pl")
    for url in [
        reverse("careers:list"),
        reverse("careers:detail", args=[posting.slug]),
        reverse("careers:apply", args=[posting.slug]),
        reverse("login"),
    ]:
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert _untranslated(response.content.decode(), english) == [], (
            url,
            _untranslated(response.content.decode(), english),
        )


def test_an_interviewer_sees_polish_too():
    interviewer = UserFactory(username="iza")
    interviewer.groups.add(role("interviewers"))
    UserLanguage.objects.create(user=interviewer, language="pl")
    client = Client()
    client.post("/accounts/login/", {"username": "iza", "password": "secret-password"})
    response = client.get(reverse("interviews:mine"))
    assert _untranslated(response.content.decode(), _catalogue_english()) == []
    assert "Moje rozmowy" in response.content.decode()

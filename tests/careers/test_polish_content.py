"""The vacancy's own Polish title and description on the careers site (issue 17): shown
when the page is Polish and they are filled in, else the English ones."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from careers.factories import PostingFactory
from recruitment.models import OutgoingEmail
from tests.careers.test_apply import form

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def polish(posting):
    posting.vacancy.title_pl = "Programista Python (Łódź)"
    posting.vacancy.description = "<p>Write <strong>Django</strong>.</p>"
    posting.vacancy.description_pl = "<p>Piszesz w <strong>Django</strong>, żółć.</p>"
    posting.vacancy.save()
    return posting


def _json_ld(text: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return json.loads(found.group(1))


def _feed_titles(response) -> list[str]:
    # Our own server's answer, not untrusted XML.
    entries = ElementTree.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314
    return [entry.find(f"{ATOM}title").text for entry in entries]


@pytest.mark.parametrize(
    "asked", [{"path": "/careers/?lang=pl"}, {"path": "/careers/", "HTTP_ACCEPT_LANGUAGE": "pl"}]
)
def test_the_list_shows_the_polish_title_on_the_polish_page(client, polish, asked):
    text = client.get(asked.pop("path"), **asked).text
    assert "Programista Python (Łódź)" in text
    assert "Python Developer" not in text


def test_the_english_list_keeps_the_english_title(client, polish):
    text = client.get("/careers/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "Python Developer" in text
    assert "Programista Python" not in text


def test_the_english_and_polish_lists_are_cached_apart(client, polish):
    assert "Python Developer" in client.get("/careers/?lang=en").text
    assert "Programista Python (Łódź)" in client.get("/careers/?lang=pl").text


def test_a_vacancy_without_polish_falls_back_to_english(client, posting):
    response = client.get("/careers/python-developer/?lang=pl")
    assert '<meta property="og:title" content="Python Developer">' in response.text
    assert _json_ld(response.text)["title"] == "Python Developer"
    assert "Python Developer" in client.get("/careers/?lang=pl").text
    assert _feed_titles(client.get("/careers/feed/?lang=pl")) == ["Python Developer"]


def test_the_position_page_in_polish(client, polish):
    response = client.get("/careers/python-developer/", HTTP_ACCEPT_LANGUAGE="pl")
    assert '<h1 class="h3">Programista Python (Łódź)</h1>' in response.text
    assert "Piszesz w <strong>Django</strong>, żółć." in response.text
    assert '<meta property="og:title" content="Programista Python (Łódź)">' in response.text
    data = _json_ld(response.text)
    assert data["title"] == "Programista Python (Łódź)"
    assert data["description"] == "<p>Piszesz w <strong>Django</strong>, żółć.</p>"


def test_the_position_page_in_english(client, polish):
    response = client.get("/careers/python-developer/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<meta property="og:title" content="Python Developer">' in response.text
    data = _json_ld(response.text)
    assert (data["title"], data["description"]) == (
        "Python Developer",
        "<p>Write <strong>Django</strong>.</p>",
    )


def test_a_polish_title_with_an_english_description_shows_the_english_one(client, posting):
    posting.vacancy.title_pl = "Programista Python"
    posting.vacancy.description = "<p>Write Django.</p>"
    posting.vacancy.save()
    data = _json_ld(client.get("/careers/python-developer/?lang=pl").text)
    assert (data["title"], data["description"]) == ("Programista Python", "<p>Write Django.</p>")


def test_the_feed_in_polish_and_english(client, polish):
    assert _feed_titles(client.get("/careers/feed/?lang=pl")) == ["Programista Python (Łódź)"]
    # ?lang= is remembered in the language cookie: English is asked for the same way.
    assert _feed_titles(client.get("/careers/feed/?lang=en")) == ["Python Developer"]


def test_the_feed_follows_accept_language(client, polish):
    feed = client.get("/careers/feed/", HTTP_ACCEPT_LANGUAGE="pl")
    assert _feed_titles(feed) == ["Programista Python (Łódź)"]


@pytest.mark.parametrize("words", ["Programista", "programista lodz", "ŻÓŁĆ"])
def test_the_search_finds_the_polish_text_blind_to_accents(client, polish, words):
    PostingFactory(vacancy__title="Java Developer")
    for lang in ("pl", "en"):
        text = client.get("/careers/", {"q": words, "lang": lang}).text
        assert "python-developer" in text, (words, lang)
        assert "Java Developer" not in text


def test_the_polish_list_costs_the_same_queries(client, polish):
    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/careers/?lang=pl")
        return len(queries)

    # As the English list (test_public_pages): the Polish text rides on the same rows.
    assert count() == 5
    PostingFactory.create_batch(9, vacancy__title_pl="Tester")
    assert count() == 5


def test_the_position_page_costs_the_same_queries_in_polish(client, polish):
    def count(lang: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/careers/python-developer/?lang={lang}")
        return len(queries)

    assert count("pl") == count("en")


def test_the_mails_name_the_vacancy_in_the_candidates_language(
    client, polish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/careers/python-developer/apply/?lang=pl", form())
    email = OutgoingEmail.objects.get()
    assert "Programista Python (Łódź)" in email.subject
    assert "Python Developer" not in email.subject + email.body


def test_an_english_candidate_gets_the_english_title(
    client, polish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/careers/python-developer/apply/?lang=en", form())
    assert OutgoingEmail.objects.get().subject == "Confirm your application for Python Developer"


def test_the_thanks_mail_keeps_the_language_applied_in(
    client, polish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/careers/python-developer/apply/?lang=pl", form())
    body = OutgoingEmail.objects.get().body
    link = re.search(r"http://testserver(/careers/confirm/\S+/)", body).group(1)

    # Confirmed from another browser, in English: the mail still follows the application.
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_ACCEPT_LANGUAGE="en").post(link)

    thanks = OutgoingEmail.objects.latest("pk")
    assert "Programista Python (Łódź)" in thanks.subject
    assert "Python Developer" not in thanks.subject + thanks.body

"""Saved views: the list's filters, tab and sort under a name, private or shared."""

import pytest
from django.test import Client

from recruitment.factories import ApplicationFactory, TagFactory, UserFactory
from recruitment.models import SavedView, Stage
from tests.conftest import role

pytestmark = pytest.mark.django_db


def save(client, name, query, **extra):
    return client.post("/applicants/views/", {"name": name, "query": query, **extra}, follow=True)


def menu(client, url: str = "/applicants/views/menu/") -> str:
    """The saved views' menu with its counts, as the list page loads it after itself."""
    html = client.get(url).content.decode()
    start = html.find('class="saved-views')
    return html[start : html.find("</nav>", start)] if start >= 0 else ""


@pytest.fixture
def python_people():
    python = TagFactory(name="python")
    for stage in (Stage.INTERVIEW, Stage.INTERVIEW, Stage.DECISION):
        ApplicationFactory(stage=stage).applicant.tags.add(python)
    ApplicationFactory(stage=Stage.INTERVIEW)


def test_a_saved_view_keeps_filters_tab_and_sort_but_not_the_page(recruiter_client, python_people):
    response = save(
        recruiter_client, "Python interviews", "tags=python&stage=interview&sort=name&page=3"
    )

    view = SavedView.objects.get()
    assert view.query == "tags=python&stage=interview&sort=name"
    assert response.redirect_chain[-1][0] == f"/applicants/?{view.query}&view={view.pk}"
    assert [row.stage for row in response.context["listing"].page.object_list] == ["interview"] * 2
    assert "Python interviews" in menu(recruiter_client)


def test_the_menu_counts_are_live(recruiter_client, python_people):
    save(recruiter_client, "Python interviews", "tags=python&stage=interview")
    assert '<span class="badge text-bg-light saved-view-count">2</span>' in menu(recruiter_client)

    another = ApplicationFactory(stage=Stage.INTERVIEW)
    another.applicant.tags.add(TagFactory(name="python"))

    assert '<span class="badge text-bg-light saved-view-count">3</span>' in menu(recruiter_client)


def test_private_views_stay_private_and_shared_ones_reach_the_team(recruiter_client, python_people):
    save(recruiter_client, "Mine only", "stage=decision")
    save(recruiter_client, "For everyone", "stage=interview", is_shared="on")
    colleague = UserFactory(username="kasia")
    colleague.groups.add(role("recruiters"))
    other = Client()
    other.force_login(colleague)

    theirs = menu(other)

    assert "For everyone" in theirs
    assert "Mine only" not in theirs
    # Only the owner is offered the delete button.
    assert "Delete the view" not in theirs


def test_a_shared_view_counts_only_what_the_viewer_may_see(recruiter_client, python_people):
    save(recruiter_client, "All interviews", "stage=interview", is_shared="on")
    interviewer = UserFactory(username="ivan")
    interviewer.groups.add(role("interviewers"))
    ApplicationFactory(stage=Stage.INTERVIEW).vacancy.interviewers.add(interviewer)
    other = Client()
    other.force_login(interviewer)

    assert '<span class="badge text-bg-light saved-view-count">1</span>' in menu(other)


def test_a_name_used_twice_or_empty_is_refused(recruiter_client):
    save(recruiter_client, "Mine", "stage=decision")

    twice = save(recruiter_client, " Mine ", "stage=interview")
    empty = save(recruiter_client, "", "stage=interview")
    broken = save(recruiter_client, "Line\nbreak", "stage=interview")

    assert "You have a view named Mine already." in twice.content.decode()
    assert "Name the view" in empty.content.decode()
    assert "Remove the control characters" in broken.content.decode()
    assert SavedView.objects.count() == 1


def test_the_owner_deletes_a_view(recruiter_client):
    save(recruiter_client, "Old", "stage=decision")
    view = SavedView.objects.get()

    recruiter_client.post(f"/applicants/views/{view.pk}/delete/")

    assert not SavedView.objects.exists()


def test_the_list_page_shows_the_views_and_leaves_their_counts_to_the_menu(
    recruiter_client, python_people
):
    save(recruiter_client, "Python interviews", "tags=python&stage=interview")
    view = SavedView.objects.get()

    on_the_page = menu(recruiter_client, f"/applicants/?{view.query}&view={view.pk}")

    # Without JavaScript the view is there to open, without a count.
    assert "Python interviews" in on_the_page
    assert "saved-view-count" not in on_the_page
    # With it, the menu is fetched again at once, the open view still marked.
    assert f'hx-get="/applicants/views/menu/?view={view.pk}" hx-trigger="load"' in on_the_page
    counted = menu(recruiter_client, f"/applicants/views/menu/?view={view.pk}")
    assert '<span class="badge text-bg-light saved-view-count">2</span>' in counted
    assert "btn-secondary" in counted
    assert "hx-trigger" not in counted


def test_without_views_the_menu_is_empty(recruiter_client):
    assert recruiter_client.get("/applicants/views/menu/").content.decode().strip() == ""
    assert 'class="saved-views' not in recruiter_client.get("/applicants/").content.decode()


def test_the_list_page_does_not_count_the_views(
    recruiter_client, recruiter, django_assert_num_queries
):
    ApplicationFactory()
    for number in range(3):
        SavedView.objects.create(owner=recruiter, name=f"v{number}", query="stage=interview")
    recruiter_client.get("/applicants/")

    # 1 session, 2 user, 3 role, 4 stage-tab counts, 5 page ids, 6 rows, 7 their tags,
    # 8 closing reasons, 9 the saved views (their counts are the menu's, below),
    # 10-13 the pickers, 14 the rows' interview summaries.
    with django_assert_num_queries(14):
        recruiter_client.get("/applicants/")


def test_each_saved_view_costs_one_count(recruiter_client, recruiter, django_assert_num_queries):
    ApplicationFactory()
    for number in range(3):
        SavedView.objects.create(owner=recruiter, name=f"v{number}", query="stage=interview")
    recruiter_client.get("/applicants/views/menu/")

    # 1 session, 2 user, 3 role, 4 the saved views, 5-7 one count per view.
    with django_assert_num_queries(7):
        recruiter_client.get("/applicants/views/menu/")


def test_the_menu_needs_a_role_like_the_list(python_people):
    anonymous = Client()
    no_role = Client()
    no_role.force_login(UserFactory(username="bez-roli"))

    assert anonymous.get("/applicants/views/menu/").status_code == 302
    assert no_role.get("/applicants/views/menu/").status_code == 403
    assert no_role.get("/applicants/").status_code == 403

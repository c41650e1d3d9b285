"""What the console reads from the origin (a real git repository here): the commits
between two releases, and the branches a PR instance may be made from."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from console.models import Action


def git(cwd: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Łucja Ślęzak", "-c", "user.email=l@localhost", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


def commit(work: Path, message: str) -> str:
    (work / "file.txt").write_text(message)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", message)
    return git(work, "rev-parse", "HEAD").strip()


@pytest.fixture
def origin(tmp_path) -> Path:
    """The origin the test's instance file names."""
    work = tmp_path / "no-origin.git"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    return work


@pytest.mark.django_db
def test_what_changed_between_two_releases_lists_the_commits(client, developer, origin):
    first = commit(origin, "Pierwsza wersja")
    commit(origin, "Poprawka żółwia")
    last = commit(origin, "Nowy formularz")
    client.force_login(developer)
    older, newer = f"20261201-100000-{first[:8]}", f"20261205-100000-{last[:8]}"

    page = client.get(
        reverse("console:changes", args=["staging"]), {"from": older, "to": newer}
    ).content.decode()

    assert page.index("Nowy formularz") < page.index("Poprawka żółwia")
    assert "Pierwsza wersja" not in page
    assert "Łucja Ślęzak" in page


@pytest.mark.django_db
def test_an_unknown_release_is_said_not_a_500(client, developer, origin):
    commit(origin, "Pierwsza wersja")
    client.force_login(developer)

    response = client.get(
        reverse("console:changes", args=["staging"]),
        {"from": "20261201-100000-deadbeef", "to": "main"},
    )

    assert response.status_code == 200
    assert "unknown ref &#x27;deadbeef&#x27; in the origin" in response.content.decode()


@pytest.mark.django_db
def test_a_tester_makes_their_pr_instance_from_a_branch_of_the_origin(
    client, origin, django_capture_on_commit_callbacks
):
    from tests.console.conftest import member

    commit(origin, "Pierwsza wersja")
    git(origin, "branch", "feature/łódź")
    user = member("kasia", "testers")
    client.force_login(user)

    page = client.get(reverse("console:pr_instances")).content.decode()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("console:pr_instances"), {"branch": "feature/łódź"})
    refused = client.post(reverse("console:pr_instances"), {"branch": "no-such-branch"})

    assert '<option value="feature/łódź">' in page and "Make pr-kasia" in page
    action = Action.objects.get()
    assert response.url == reverse("console:action", args=[action.pk])
    assert (action.instance, action.kind, action.ref) == ("pr-kasia", "pr_create", "feature/łódź")
    assert len(queued) == 1
    assert refused.status_code == 400
    assert Action.objects.count() == 1


@pytest.mark.django_db
def test_pr_instances_page_says_who_has_which_since_when(
    client, developer, tmp_path, origin, django_assert_num_queries
):
    from deploy.pr_instances import registry_write

    registry_write(
        tmp_path / "pr-instances.toml",
        {"pr-kasia": {"base": "/srv/rms/pr-kasia", "port": 8230, "ref": "feature/łódź",
                      "database": "postgres:///rms_pr_kasia"}},
    )  # fmt: skip
    Action.objects.create(
        instance="pr-kasia", kind="pr_create", who="kasia (console)", ref="feature/łódź"
    )
    client.force_login(developer)

    # Session, user, console groups, who made each, each one's latest action: however
    # many PR instances there are.
    with django_assert_num_queries(5):
        page = client.get(reverse("console:pr_instances")).content.decode()

    assert "pr-kasia" in page and "feature/łódź" in page and "kasia (console)" in page

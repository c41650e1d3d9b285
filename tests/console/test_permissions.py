"""Who may do what to which instance: a refused action is a 403 and nothing is recorded
or queued; an allowed one is recorded, in the asker's name, and queued."""

import pytest
from django.urls import reverse

from console.models import Action


def ask(client, user, instance: str, kind: str = "deploy", **data):
    client.force_login(user)
    return client.post(reverse("console:action_new", args=[instance, kind]), data)


@pytest.mark.django_db
@pytest.mark.parametrize("instance", ["staging", "live", "pr-other"])
def test_a_tester_may_not_act_on_staging_live_or_someone_elses_pr_instance(
    client, tester, instance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = ask(client, tester, instance)

    assert response.status_code == 403
    assert not Action.objects.exists()
    assert queued == []


@pytest.mark.django_db
def test_a_tester_deploys_their_own_pr_instance(client, tester, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = ask(client, tester, "pr-tess", ref="feature/łódź")

    action = Action.objects.get()
    assert response.url == reverse("console:action", args=[action.pk])
    assert (action.instance, action.kind, action.ref) == ("pr-tess", "deploy", "feature/łódź")
    assert action.who == "tess (console)"
    assert action.requested_by == tester
    assert action.state == Action.State.QUEUED
    assert len(queued) == 1


@pytest.mark.django_db
def test_a_developer_deploys_staging_but_not_live(client, developer):
    assert ask(client, developer, "staging").status_code == 302
    assert ask(client, developer, "live", force="on", reason="hotfix").status_code == 403
    assert list(Action.objects.values_list("instance", flat=True)) == ["staging"]


@pytest.mark.django_db
def test_live_outside_its_window_asks_for_the_reason(client, live_deployer):
    response = ask(client, live_deployer, "live")

    assert response.status_code == 400
    assert "The deploy window of live is closed" in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_forcing_live_needs_a_written_reason(client, live_deployer):
    response = ask(client, live_deployer, "live", force="on", reason="   ")

    assert response.status_code == 400
    assert "Say why you deploy outside the window." in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_live_forced_with_a_reason_is_recorded_with_it(client, live_deployer):
    response = ask(
        client, live_deployer, "live", force="on", reason="Poprawka płatności — Łukasz czeka"
    )

    assert response.status_code == 302
    action = Action.objects.get()
    assert action.forced
    assert action.reason == "Poprawka płatności — Łukasz czeka"
    page = client.get(reverse("console:history")).content.decode()
    assert "Poprawka płatności — Łukasz czeka" in page


@pytest.mark.django_db
def test_a_backup_of_live_needs_no_window(client, live_deployer):
    assert ask(client, live_deployer, "live", "backup").status_code == 302


@pytest.mark.django_db
def test_someone_in_no_console_group_sees_nothing(client, recruiter):
    client.force_login(recruiter)

    assert client.get(reverse("console:instances")).status_code == 403
    assert ask(client, recruiter, "pr-tess").status_code == 403


@pytest.mark.django_db
def test_an_unknown_instance_or_action_is_404(client, developer):
    assert ask(client, developer, "nowhere").status_code == 404
    assert ask(client, developer, "staging", "drop-everything").status_code == 404

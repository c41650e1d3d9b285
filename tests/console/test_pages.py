"""The instances page, the history, an action's page: what they show, and their query
counts, which do not grow with the rows shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from console.models import Action
from tests.console.conftest import NOWHERE


def action(**fields) -> Action:
    values = {"instance": "staging", "kind": "deploy", "who": "dawid (console)"} | fields
    return Action.objects.create(**values)


def instances_file_with(instances, tmp_path, count: int) -> None:
    from tests.console.conftest import instances_toml

    extra = "".join(
        f'[instances.extra{n}]\nbase = "/srv/rms/extra{n}"\nport = {9000 + n}\n'
        f'database = "postgres:///rms_extra{n}"\n'
        for n in range(count)
    )
    instances.write_text(instances_toml(tmp_path, extra))


@pytest.mark.django_db
def test_instances_page_lists_every_instance_with_its_latest_action(client, developer):
    action(instance="staging", state="succeeded", release="20261205-101500-abcdef12")
    latest = action(instance="staging", kind="rollback", state="failed")
    client.force_login(developer)

    page = client.get(reverse("console:instances")).content.decode()

    for name in ("live", "pr-other", "pr-tess", "staging"):
        assert f'data-instance="{name}"' in page
    assert reverse("console:action", args=[latest.pk]) in page
    assert "Rollback · Failed" in page
    # live's window (never open here) and that developers may not act on it.
    assert "closed now" in page
    assert "Only the live-deployers group may act on live." in page


@pytest.mark.django_db
def test_instances_page_query_count_does_not_grow_with_instances(
    client, developer, instances, tmp_path, django_assert_num_queries
):
    client.force_login(developer)
    for name in ("staging", "live"):
        action(instance=name)
    instances_file_with(instances, tmp_path, 2)
    with django_assert_num_queries(5) as few:
        client.get(reverse("console:instances"))
    instances_file_with(instances, tmp_path, 30)
    for n in range(30):
        action(instance=f"extra{n}")
    # Session, user, the user's console groups, the latest action per instance (ids),
    # those actions.
    with django_assert_num_queries(5) as many:
        response = client.get(reverse("console:instances"))
    assert response.content.decode().count("data-instance=") == 34
    assert len(few.captured_queries) == len(many.captured_queries)


@pytest.mark.django_db
def test_an_unreachable_host_is_said_in_its_row(client, developer):
    client.force_login(developer)

    response = client.get(reverse("console:instance_status", args=["staging"]))

    assert response.status_code == 200
    assert f"host {NOWHERE} is unreachable" in response.content.decode()


@pytest.mark.django_db
def test_history_filters_and_its_query_count_does_not_grow(
    client, developer, django_assert_num_queries
):
    client.force_login(developer)
    action(instance="staging", state="succeeded", who="Łukasz Żak (console)")
    action(instance="live", state="failed", who="tess@ci", origin="deploy_log")
    url = reverse("console:history")

    by_instance = client.get(url, {"instance": "live"}).content.decode()
    by_who = client.get(url, {"who": "łukasz"}).content.decode()

    assert "tess@ci" in by_instance and "Łukasz Żak" not in by_instance
    assert "fab / Jenkins" in by_instance
    assert "Łukasz Żak" in by_who and "tess@ci" not in by_who
    # Session, user, console groups, count, the page.
    with django_assert_num_queries(5):
        client.get(url)
    for n in range(20):
        action(instance=f"pr-x{n}", created_at=timezone.now() - timedelta(minutes=n))
    with django_assert_num_queries(5):
        page = client.get(url).content.decode()
    assert page.count('href="/console/actions/') == 22


@pytest.mark.django_db
def test_an_actions_page_polls_while_it_runs_and_stops_when_done(client, tester):
    client.force_login(tester)
    running = action(instance="pr-tess", state="running", log="--> preflight: hosts\n")
    done = action(
        instance="pr-tess",
        state="failed",
        error="deploy pr-tess: health check [x] failed: 500; reverted",
        log=(
            "--> health check [x]\n<-- health check [x]: FAILED after 10.0 s\n"
            "!!! reverting pr-tess\n"
        ),
    )

    polling = client.get(reverse("console:action_progress", args=[running.pk])).content.decode()
    finished = client.get(reverse("console:action", args=[done.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in polling and "--&gt; preflight: hosts" in polling
    assert 'hx-trigger="every 1s"' not in finished
    assert "FAILED after 10.0 s" in finished and "!!! reverting pr-tess" in finished
    assert "health check [x] failed" in finished


@pytest.mark.django_db
def test_history_links_a_deploy_to_what_changed_since_the_release_before(client, developer):
    client.force_login(developer)
    now = timezone.now()
    action(
        state="succeeded", release="20261201-100000-aaaa1111", created_at=now - timedelta(days=2)
    )
    action(state="failed", release="20261202-100000-bbbb2222", created_at=now - timedelta(days=1))
    action(state="succeeded", release="20261203-100000-cccc3333", created_at=now)

    page = client.get(reverse("console:history")).content.decode()

    changes = reverse("console:changes", args=["staging"])
    assert f"{changes}?from=20261201-100000-aaaa1111&amp;to=20261203-100000-cccc3333" in page
    # Only a deploy that served has a link; the first one has nothing before it.
    assert page.count(f"{changes}?from=") == 1

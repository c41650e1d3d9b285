"""Two uWSGI workers share Redis (the cache) and the database: one API throttle and one
sign-in lockout per client, whichever worker answers."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.db import connection

from recruitment.api.tokens import api_token_issue
from recruitment.factories import UserFactory
from tests.conftest import role
from tests.deploy.sandbox import free_port, wait_for_port
from tests.queue.conftest import database_url, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
RATE = 6
FAILURES = 3


@pytest.fixture(scope="module")
def uwsgi(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    """bin/uwsgi, two workers, on the test database and Redis.

    HTTP/1.1 keep-alive: a worker stays with the connection it accepted, so a client with
    two open connections talks to both workers, in the order it chooses.
    """
    if connection.vendor != "postgresql":
        pytest.skip("uWSGI workers need the PostgreSQL test database")
    port = free_port()
    log = tmp_path_factory.mktemp("uwsgi") / "uwsgi.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "DJANGO_SETTINGS_MODULE": "rms.settings",
        "SECRET_KEY": "shared-cache-tests-only",
        # DEBUG on only so pages render without a collectstatic manifest.
        "DEBUG": "1",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CACHE_URL": redis_url,
        "RMS_API_THROTTLE_RATE": f"{RATE}/hour",
        "RMS_SIGNIN_FAILURES": str(FAILURES),
    }
    command = [
        str(REPO / "bin" / "uwsgi"), "--master", "--processes", "2",
        "--lazy-apps", "--need-app", "--die-on-term", "--chdir", str(REPO),
        "--http11-socket", f"127.0.0.1:{port}", "--module", "tests.rms.pid_wsgi:application",
        "--logto", str(log),
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    try:
        wait_for_port(port, timeout=60)
        url = f"http://127.0.0.1:{port}"
        # lazy-apps: each worker loads Django after the socket is bound; both must answer.
        wait_until(lambda: len(workers_answering(url)) == 2, timeout=120, every=0.5)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def workers_answering(url: str) -> set[str]:
    """The workers that answered probes of /health/ on two connections held open."""
    try:
        with requests.Session() as first, requests.Session() as second:
            answers = [session.get(f"{url}/health/", timeout=30) for session in (first, second) * 2]
    except requests.ConnectionError:
        return set()
    return {answer.headers["X-Worker-Pid"] for answer in answers if answer.status_code == 200}


def two_connections() -> tuple[requests.Session, requests.Session]:
    """Two clients sharing cookies, each keeping its own connection (its own worker)."""
    first, second = requests.Session(), requests.Session()
    second.cookies = first.cookies
    return first, second


def test_the_api_throttle_counts_one_client_across_both_workers(uwsgi, redis_url):
    user = UserFactory(username="script")
    user.groups.add(role("recruiters"))
    headers = {"Authorization": f"Token {api_token_issue(user=user)}"}

    clients = two_connections()

    answers = [
        clients[n % 2].get(f"{uwsgi}/api/v1/vacancies/", headers=headers, timeout=10)
        for n in range(RATE * 2)
    ]

    statuses = [answer.status_code for answer in answers]
    assert statuses[0] == 200, answers[0].text
    assert statuses == [200] * RATE + [429] * RATE
    served_by = {answer.headers["X-Worker-Pid"] for answer in answers[:RATE]}
    assert len(served_by) == 2, "uWSGI sent every request to one worker: nothing was shared"


def sign_in(session: requests.Session, url: str, password: str) -> requests.Response:
    form = session.get(f"{url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return session.post(
        f"{url}/accounts/login/",
        data={"username": "rita", "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )


def test_the_sign_in_lockout_holds_across_both_workers(uwsgi):
    rita = UserFactory(username="rita")
    rita.set_password("right-password-42")
    rita.save()
    first, second = two_connections()

    guesses = [sign_in((first, second)[n % 2], uwsgi, "guess") for n in range(FAILURES)]
    answer = sign_in(second, uwsgi, "right-password-42")

    assert [guess.status_code for guess in guesses[:-1]] == [200] * (FAILURES - 1)
    assert answer.status_code == 429
    assert "Too many failed sign-ins" in answer.text
    served_by = {response.headers["X-Worker-Pid"] for response in [*guesses, answer]}
    assert len(served_by) == 2, "uWSGI sent every request to one worker: nothing was shared"

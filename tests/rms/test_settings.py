"""Settings come from the environment, and bad values stop start-up with one clear line."""

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-Ws9!dF0_long-random-secret-for-a-real-instance-8f7a6b5c4d3e2f1",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "rms.example.com",
    "DATABASE_URL": "sqlite:////tmp/rms-settings-test.sqlite3",
}


def manage(*args, env):
    """Run `manage.py` in a fresh process with exactly these settings variables."""
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    clean.update(env, PYTHONPATH=os.pathsep.join(sys.path), DJANGO_SETTINGS_MODULE="rms.settings")
    return subprocess.run(
        [sys.executable, "-c", "from rms.manage import main; main()", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


_SETTINGS_VARIABLES = {
    "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "HTTPS", "TIME_ZONE",
    "EMAIL_PORT", "RMS_RELEASE", "SECURE_HSTS_SECONDS",
    "RMS_SIGNIN_DOMAINS", "GOOGLE_OAUTH2_KEY", "GOOGLE_OAUTH2_SECRET",
    # Set for the browser tests' sake; check --deploy rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}  # fmt: skip


def test_check_deploy_reports_nothing_for_a_production_configuration():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_with_debug_off_stops_with_one_line():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "rms: configuration error: SECRET_KEY must be set when DEBUG is off"
    )


def test_debug_on_runs_without_a_secret_key():
    result = manage("check", env={"DEBUG": "1"})

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean (1/0, true/false, yes/no), got 'maybe'"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be an integer, got 'twenty-five'"),
        ("TIME_ZONE", "Europe/Poznan", "TIME_ZONE must be an IANA time zone name"),
        (
            "RMS_SIGNIN_DOMAINS",
            "@example.com",
            "RMS_SIGNIN_DOMAINS must list domain names like example.com, got '@example.com'",
        ),
        (
            "RMS_SIGNIN_DOMAINS",
            "example.com",
            "RMS_SIGNIN_DOMAINS needs GOOGLE_OAUTH2_KEY and GOOGLE_OAUTH2_SECRET",
        ),
    ],
)
def test_a_bad_value_names_the_variable_and_the_value(variable, value, message):
    result = manage("check", env={**PRODUCTION_ENV, variable: value})

    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_time_zone_defaults_to_warsaw_and_release_is_read():
    show = "from django.conf import settings as s; print(s.TIME_ZONE, s.RMS_RELEASE)"

    result = manage("shell", "-c", show, env={"DEBUG": "1", "RMS_RELEASE": "r42"})

    assert result.stdout.split()[-2:] == ["Europe/Warsaw", "r42"]


def test_with_no_broker_one_line_says_tasks_run_in_process():
    result = manage("check", env={"DEBUG": "1"})

    lines = result.stderr.splitlines()
    assert (
        lines.count("No CELERY_BROKER_URL: background tasks run in this process after each commit")
        == 1
    ), result.stderr


def test_a_django_log_line_is_printed_once():
    script = "import logging; logging.getLogger('django.server').warning('once only')"
    result = manage("shell", "-c", script, env={"DEBUG": "1"})

    assert result.stderr.splitlines().count("once only") == 1, result.stderr


def test_a_bad_metrics_network_stops_start_up_with_one_line():
    result = manage("check", env={"DEBUG": "1", "RMS_METRICS_ADDRESSES": "10.0.0.0/33"})

    assert result.returncode == 1
    assert "RMS_METRICS_ADDRESSES must list addresses or networks" in result.stderr

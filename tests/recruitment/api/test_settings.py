"""RMS_API_THROTTLE_RATE reaches DRF, and a bad value stops start-up with one line."""

from tests.rms.test_settings import PRODUCTION_ENV, manage


def test_throttle_rate_comes_from_the_environment():
    show = (
        "from django.conf import settings as s; "
        "print(s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['token'])"
    )

    result = manage("shell", "-c", show, env={"DEBUG": "1", "RMS_API_THROTTLE_RATE": "50/minute"})

    assert result.stdout.strip().splitlines()[-1] == "50/minute", result.stderr


def test_bad_throttle_rate_names_the_variable():
    result = manage("check", env={**PRODUCTION_ENV, "RMS_API_THROTTLE_RATE": "lots"})

    assert result.returncode == 1
    assert "RMS_API_THROTTLE_RATE must look like 1000/hour" in result.stderr
    assert "Traceback" not in result.stderr

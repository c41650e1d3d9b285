import pytest

from deploy.config_files import env_file, secret_key_from, uwsgi_ini
from deploy.errors import DeployError
from deploy.instances import instance_parse

TABLE = {
    "hosts": ["rms@test"],
    "base": "/srv/rms/staging",
    "port": 8002,
    "origin": "/git/rms.git",
    "database": "postgres://rms@db:5432/rms_staging",
    "processes": 3,
    "https": False,
    "server_names": ["staging.rms.internal"],
    "env": {"LOG_LEVEL": "WARNING"},
}


def test_uwsgi_ini_has_what_a_chain_reload_needs():
    instance = instance_parse("staging", TABLE)
    ini = uwsgi_ini(instance, instance.primary)

    for line in [
        "master = true",
        "processes = 3",
        "lazy-apps = true",
        "wsgi-file = /srv/rms/staging/current/bin/rms-wsgi",
        "master-fifo = /srv/rms/staging/shared/var/uwsgi.fifo",
        "stats = /srv/rms/staging/shared/var/uwsgi-stats.sock",
        "http-socket = 127.0.0.1:8002",
        "harakiri = 30",
        "max-requests = 1000",
        "static-map = /static=/srv/rms/staging/shared/static",
        "env = RMS_ENV_FILE=/srv/rms/staging/shared/env",
    ]:
        assert line in ini.splitlines()
    assert "socket = " not in ini.replace("http-socket", "")


def test_uwsgi_ini_adds_a_uwsgi_socket_when_asked():
    instance = instance_parse("staging", {**TABLE, "socket": "/run/rms/staging.sock"})

    assert "socket = /run/rms/staging.sock" in uwsgi_ini(instance, instance.primary).splitlines()


def test_env_file_holds_the_settings():
    instance = instance_parse("staging", TABLE)
    lines = env_file(instance, instance.primary, secret_key="k3y").splitlines()

    for line in [
        "SECRET_KEY=k3y",
        "DATABASE_URL=postgres://rms@db:5432/rms_staging",
        "ALLOWED_HOSTS=staging.rms.internal,127.0.0.1,localhost",
        "HTTPS=0",
        "DEBUG=0",
        "STATIC_ROOT=/srv/rms/staging/shared/static",
        "MEDIA_ROOT=/srv/rms/staging/shared/media",
        "LOG_LEVEL=WARNING",
        "RMS_SITE_URL=http://staging.rms.internal",
    ]:
        assert line in lines


def test_env_file_takes_the_site_address_the_instance_names():
    table = {**TABLE, "env": {"RMS_SITE_URL": "https://jobs.example.com"}}
    instance = instance_parse("staging", table)
    lines = env_file(instance, instance.primary, secret_key="k3y").splitlines()

    assert [line for line in lines if line.startswith("RMS_SITE_URL=")] == [
        "RMS_SITE_URL=https://jobs.example.com"
    ]


def test_env_file_refuses_values_a_shell_would_split():
    instance = instance_parse("staging", {**TABLE, "env": {"EMAIL_HOST": "a b"}})

    with pytest.raises(DeployError, match="EMAIL_HOST has characters"):
        env_file(instance, instance.primary, secret_key="k")


def test_secret_key_is_kept_or_made():
    assert secret_key_from("DEBUG=0\nSECRET_KEY=old-key\n") == "old-key"
    made = secret_key_from("")
    assert len(made) > 50 and made != secret_key_from("")


def test_an_instance_with_a_broker_runs_a_worker_on_each_host_and_one_beat():
    table = {
        **TABLE,
        "hosts": ["rms@app1", "rms@app2"],
        "env": {"CELERY_BROKER_URL": "redis://cache:6379/3"},
    }
    instance = instance_parse("staging", table)
    first, second = (
        [line for line in uwsgi_ini(instance, host).splitlines() if "attach-daemon2" in line]
        for host in instance.hosts
    )

    for lines in (first, second):
        (worker,) = [line for line in lines if " worker " in line]
        assert worker.startswith(
            "attach-daemon2 = cmd=/srv/rms/staging/current/bin/celery -A rms worker"
        )
        assert worker.endswith(",stopsignal=15,touch=/srv/rms/staging/shared/var/celery.reload")
    assert sum(" beat " in line for line in first) == 1
    assert not any(" beat " in line for line in second)
    env = env_file(instance, instance.primary, secret_key="k").splitlines()
    assert "RMS_QUEUE=rms-staging" in env
    assert "CACHE_KEY_PREFIX=rms-staging" in env


def test_an_instance_without_a_broker_runs_no_celery_process():
    instance = instance_parse("staging", TABLE)

    assert "attach-daemon2" not in uwsgi_ini(instance, instance.primary)

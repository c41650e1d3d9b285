"""How the console reaches the app hosts: the deploy package's SSH, with the ops
instance's key (RMS_CONSOLE_SSH_KEY) when ssh's defaults do not find it."""

from django.conf import settings
from fabric import Config


def fabric_config() -> Config | None:
    if not settings.RMS_CONSOLE_SSH_KEY:
        return None
    return Config(overrides={"connect_kwargs": {"key_filename": [settings.RMS_CONSOLE_SSH_KEY]}})

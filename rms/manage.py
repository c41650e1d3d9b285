"""The `bin/django` / `manage.py` entry point."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv or sys.argv)
    except ImproperlyConfigured as exc:
        # A misconfigured instance should say what to fix in one line, not a traceback.
        sys.exit(f"rms: configuration error: {exc}")

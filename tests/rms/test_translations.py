"""The Polish catalogue is complete, and Polish counts take the right form.

The completeness test runs makemessages on a copy of the source, never in the checkout,
so the committed catalogue is compared with what the code marks today: a string marked
after the last catalogue pass fails here with its msgid (docs/translations.md says how
to add it).
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from django.utils.translation import ngettext

ROOT = Path(settings.BASE_DIR)
# What makemessages reads, as `make catalogue` does: the project's own apps (an app added
# later, like privacy/, is found through INSTALLED_APPS), templates and JavaScript sources.
SOURCES = sorted(
    {
        Path(config.path).relative_to(ROOT).parts[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
        and not Path(config.path).is_relative_to(ROOT / "eggs")
    }
    | {"rms", "templates", "static/js"}
)
CATALOGUES = ["django", "djangojs"]

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgattrib") is None,
    reason="needs GNU gettext (apt-get install gettext), as makemessages does",
)


def _copy_of_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.mo", "migrations")
    for name in [*SOURCES, "locale"]:
        source = ROOT / name
        if source.exists():
            shutil.copytree(source, tree / name, ignore=ignore)
    return tree


def _entries(po: Path, *flags: str) -> list[str]:
    """The msgids msgattrib selects (untranslated or fuzzy), obsolete ones left out."""
    out = subprocess.run(
        ["msgattrib", "--no-obsolete", "--no-wrap", *flags, str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    msgids = re.findall(r'^msgid "(.*)"$', out, flags=re.MULTILINE)
    return [msgid for msgid in msgids if msgid]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """makemessages, as the catalogue pass runs it, on a copy: the checkout is untouched."""
    tree = _copy_of_tree(tmp_path_factory.mktemp("makemessages"))
    mp = pytest.MonkeyPatch()
    mp.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[tree / "locale"]):
            call_command("makemessages", locale=["pl"], domain="django", verbosity=0)
            call_command("makemessages", locale=["pl"], domain="djangojs", verbosity=0)
    finally:
        mp.undo()
    return tree / "locale" / "pl" / "LC_MESSAGES"


@needs_gettext
@pytest.mark.parametrize("domain", CATALOGUES)
def test_every_marked_string_has_a_polish_translation(regenerated, domain):
    untranslated = _entries(regenerated / f"{domain}.po", "--untranslated")
    assert untranslated == [], (
        f"{len(untranslated)} marked strings have no Polish in locale/pl/LC_MESSAGES/"
        f"{domain}.po (see docs/translations.md): {untranslated[:20]}"
    )


@needs_gettext
@pytest.mark.parametrize("domain", CATALOGUES)
def test_no_polish_translation_is_fuzzy(regenerated, domain):
    fuzzy = _entries(regenerated / f"{domain}.po", "--only-fuzzy")
    assert fuzzy == [], f"fuzzy (unchecked) translations in {domain}.po: {fuzzy[:20]}"


def test_the_check_does_not_write_into_the_checkout(regenerated):
    committed = ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po"
    assert regenerated / "django.po" != committed
    assert not (ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po~").exists()


@pytest.mark.parametrize(
    ("count", "interviews", "report"),
    [
        (1, "1 rozmowa", "Raport: 1 aplikacja"),
        (2, "2 rozmowy", "Raport: 2 aplikacje"),
        (5, "5 rozmów", "Raport: 5 aplikacji"),
        (12, "12 rozmów", "Raport: 12 aplikacji"),
        (22, "22 rozmowy", "Raport: 22 aplikacje"),
        (25, "25 rozmów", "Raport: 25 aplikacji"),
    ],
)
def test_polish_counts_take_the_right_plural_form(count, interviews, report):
    heading = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}Report on {{ counter }} application"
        "{% plural %}Report on {{ counter }} applications{% endblocktranslate %}"
    )
    with translation.override("pl"):
        said = ngettext("%(count)s interview", "%(count)s interviews", count) % {"count": count}
        assert said == interviews
        assert heading.render(Context({"n": count})) == report


def test_english_stays_the_source_language():
    with translation.override("en"):
        said = ngettext("%(count)s interview", "%(count)s interviews", 1) % {"count": 1}
    assert said == "1 interview"

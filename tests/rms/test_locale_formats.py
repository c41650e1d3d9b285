"""Dates, numbers and the week follow the language; the time zone stays the office's."""

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format, number_format


@pytest.mark.parametrize(
    ("language", "date", "number"),
    [("en", "Dec. 5, 2026", "1,234.5"), ("pl", "5 grudnia 2026", "1\xa0234,5")],
)
def test_dates_and_numbers_follow_the_language(language, date, number):
    with translation.override(language):
        assert date_format(datetime.date(2026, 12, 5)) == date
        assert number_format(1234.5, decimal_pos=1, force_grouping=True) == number


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_week_starts_on_monday_in_both_languages(language):
    with translation.override(language):
        assert get_format("FIRST_DAY_OF_WEEK") == 1


def test_the_time_zone_is_the_offices_whatever_the_language():
    moment = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC)
    shown = Template("{{ moment|date:'H:i' }}")
    for language in ("en", "pl"):
        with translation.override(language), timezone.override(settings.TIME_ZONE):
            assert shown.render(Context({"moment": moment})) == "13:00"

"""The recruiters' week: interviews by day, for one interviewer or one vacancy."""

from datetime import timedelta

from django.shortcuts import render
from django.views.decorators.http import require_GET

from interviews.forms import CalendarForm
from interviews.selectors import calendar_week
from recruitment.roles import managers_only, visible_vacancies


@require_GET
@managers_only
def interview_calendar(request):
    form = CalendarForm(
        request.GET or None, vacancies=visible_vacancies(request.user).only("id", "title")
    )
    valid = form.is_valid()
    monday = form.monday()
    days = calendar_week(
        monday=monday,
        interviewer=form.cleaned_data.get("interviewer") if valid else None,
        vacancy=form.cleaned_data.get("vacancy") if valid else None,
    )
    query = request.GET.copy()
    weeks = {}
    for name, day in (
        ("previous", monday - timedelta(days=7)),
        ("next", monday + timedelta(days=7)),
    ):
        query["week"] = day.isoformat()
        weeks[name] = query.urlencode()
    context = {
        "form": form,
        "days": days,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "weeks": weeks,
    }
    return render(request, "interviews/calendar_week.html", context)

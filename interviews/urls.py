from django.urls import path

from interviews.views import calendar, detail, mine, scheduling

app_name = "interviews"

urlpatterns = [
    path("interviews/", mine.my_interview_list, name="mine"),
    path("interviews/calendar/", calendar.interview_calendar, name="calendar"),
    path(
        "applications/<int:application_pk>/interviews/new/",
        scheduling.interview_schedule,
        name="schedule",
    ),
    path("interviews/<int:pk>/", detail.interview_detail, name="detail"),
    path("interviews/<int:pk>/edit/", scheduling.interview_reschedule, name="reschedule"),
    path("interviews/<int:pk>/cancel/", scheduling.interview_cancel, name="cancel"),
    path("interviews/<int:pk>/status/", scheduling.interview_status, name="status"),
    path("interviews/<int:pk>/scorecard/", detail.scorecard_submit, name="scorecard"),
    path("scorecards/<int:pk>/amend/", detail.scorecard_amend, name="amend"),
]

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from careers.feeds import PostingFeed
from careers.views import apply, board, postings

app_name = "careers"

urlpatterns = [
    path("careers/", login_not_required(board.posting_index), name="list"),
    path("careers/feed/", login_not_required(PostingFeed()), name="feed"),
    path(
        "careers/linkedin/failed/",
        login_not_required(apply.linkedin_failed),
        name="linkedin_failed",
    ),
    path("careers/confirm/<str:token>/", login_not_required(apply.confirm), name="confirm"),
    path("careers/<slug:slug>/", login_not_required(board.posting_detail), name="detail"),
    path("careers/<slug:slug>/apply/", login_not_required(apply.apply), name="apply"),
    path("careers/<slug:slug>/thanks/", login_not_required(apply.thanks), name="thanks"),
    path("vacancies/<int:vacancy_pk>/careers/", postings.posting_edit, name="posting_edit"),
]

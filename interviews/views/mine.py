"""'My interviews': an interviewer's own upcoming and past interviews, and what they owe."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from interviews.selectors import my_interviews
from recruitment.roles import any_role, manages


@require_GET
@any_role
def my_interview_list(request):
    context = {"mine": my_interviews(user=request.user), "manages": manages(request.user)}
    return render(request, "interviews/my_interviews.html", context)

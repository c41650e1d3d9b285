"""Which interviews a person may open: those of the applications their role shows."""

from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from interviews.models import Interview
from interviews.selectors import interview_detail
from recruitment.roles import visible_applications


def visible_interviews(user):
    return Interview.objects.filter(application__in=visible_applications(user))


def interview_or_404(request, pk: int) -> Interview:
    try:
        return interview_detail(interviews=visible_interviews(request.user), pk=pk)
    except Interview.DoesNotExist as missing:
        raise Http404(_("No such interview.")) from missing


def back_to(request) -> str | None:
    """A page of this site to return to (the vacancy board), else None."""
    target = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith("/") else None

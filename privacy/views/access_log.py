"""What one user looked at (admins)."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from privacy import selectors, services
from privacy.views.applicants import LOG_PAGE_SIZE, admins_only


@require_GET
@admins_only
def user_access_log(request, pk: int):
    person = get_object_or_404(get_user_model(), pk=pk)
    services.access_log_flush()
    entries = selectors.access_log_of_user(user=person)
    log = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/user_access_log.html", {"person": person, "log": log})

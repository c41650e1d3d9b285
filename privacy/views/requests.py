"""Data subject requests: the candidates' public form and link, the admins' queue."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy import selectors, services
from privacy.forms import RequestCloseForm, SubjectRequestForm
from privacy.models import SubjectRequest
from privacy.views.applicants import admins_only
from recruitment.services import ServiceError
from rms.client_address import client_address
from rms.signed_links import signed_link_page

QUEUE_PAGE_SIZE = 50
# Verification mails one address, or one e-mail, may cause in an hour.
ASKS_PER_HOUR = 5


def _allowed(key: str) -> bool:
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= ASKS_PER_HOUR
    except ValueError:
        return True


def _ask_allowed(request, email: str) -> bool:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return _allowed(f"privacy:ask:ip:{client_address(request)}") and _allowed(
        f"privacy:ask:email:{digest}"
    )


@never_cache
@require_http_methods(["GET", "POST"])
def request_ask(request):
    form = SubjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not _ask_allowed(request, data["email"]):
            return render(request, "privacy/public/rate_limited.html", status=429)
        try:
            services.subject_request_ask(
                **data, site_url=request.build_absolute_uri("/").rstrip("/")
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            return render(request, "privacy/public/request_sent.html", {"email": data["email"]})
    return render(request, "privacy/public/request_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def request_verify(request, token: str):
    return signed_link_page(
        request,
        act=lambda: {"subject_request": services.subject_request_verify(token=token)},
        ask="privacy/public/request_verify.html",
        done="privacy/public/request_received.html",
        invalid="privacy/public/link_invalid.html",
        token=token,
    )


@require_GET
@admins_only
def request_queue(request):
    page = Paginator(selectors.subject_request_queue(), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "now": timezone.now()}
    return render(request, "privacy/request_queue.html", context)


def _request_page(request, subject_request: SubjectRequest, form, *, status: int = 200):
    context = {"subject_request": subject_request, "form": form, "now": timezone.now()}
    return render(request, "privacy/request_detail.html", context, status=status)


@require_GET
@admins_only
def request_detail(request, pk: int):
    subject_request = get_object_or_404(selectors.subject_request_queue(), pk=pk)
    return _request_page(request, subject_request, RequestCloseForm())


@require_POST
@admins_only
def request_close(request, pk: int):
    subject_request = get_object_or_404(selectors.subject_request_queue(), pk=pk)
    form = RequestCloseForm(request.POST)
    if not form.is_valid():
        return _request_page(request, subject_request, form)
    try:
        services.subject_request_close(
            request=subject_request, actor=request.user, **form.cleaned_data
        )
    except ServiceError as error:
        error.add_to(form)
        return _request_page(request, subject_request, form)
    messages.success(request, _("Request closed."))
    return redirect("privacy:request_queue")

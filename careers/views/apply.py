"""Applying, and confirming by the e-mailed link. Never cached: these carry a CSRF token
and the candidate's own answers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from careers import services
from careers.consents import future_openings_wording, processing_wording
from careers.forms import ApplyForm
from careers.linkedin import (
    RETURN_SESSION_KEY,
    apply_form_left,
    linkedin_enabled,
    profile_forget,
    profile_in,
)
from careers.rate_limits import apply_attempt_allowed
from careers.selectors import posting_by_slug
from recruitment.services import ServiceError
from rms.client_address import client_address
from rms.signed_links import signed_link_page

CANDIDATE_FIELDS = ("first_name", "last_name", "email", "phone", "city", "linkedin_url")


def _live_posting(slug: str):
    posting = posting_by_slug(slug=slug)
    if posting is None:
        raise Http404
    return posting


def _form(request, posting, linkedin) -> ApplyForm:
    # The LinkedIn profile only fills the form in: the candidate sees it and may change it.
    initial = {}
    if linkedin is not None:
        initial = {name: getattr(linkedin, name) for name in ("first_name", "last_name", "email")}
    return ApplyForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        processing_wording=processing_wording(vacancy_title=posting.vacancy.public_title).text,
        future_wording=future_openings_wording().text,
    )


def _submit(request, posting, form: ApplyForm, linkedin):
    data = form.cleaned_data
    address = client_address(request)
    if not apply_attempt_allowed(ip_address=address, email=data["email"]):
        return render(request, "careers/rate_limited.html", {"posting": posting}, status=429)
    try:
        services.careers_apply(
            posting=posting,
            candidate=services.Candidate(**{name: data[name] for name in CANDIDATE_FIELDS}),
            cv=data["cv"],
            message=data["message"],
            future_openings=data["consent_future"],
            ip_address=address or None,
            language=get_language(),
            site_url=request.build_absolute_uri("/").rstrip("/"),
            linkedin=linkedin,
        )
    except services.AlreadyAppliedError:
        return render(request, "careers/already_applied.html", {"posting": posting})
    except ServiceError as error:
        error.add_to(form)
        return None
    profile_forget(request.session)
    return redirect("careers:thanks", slug=posting.slug)


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, slug: str):
    posting = _live_posting(slug)
    if not posting.is_live:
        return render(request, "careers/posting_gone.html", {"posting": posting}, status=410)
    linkedin = profile_in(request.session)
    form = _form(request, posting, linkedin)
    if request.method == "POST" and form.is_bot():
        # Told it worked, so the bot learns nothing; nothing is saved.
        return redirect("careers:thanks", slug=posting.slug)
    if request.method == "POST" and form.is_valid():
        response = _submit(request, posting, form, linkedin)
        if response is not None:
            return response
    context = {
        "posting": posting,
        "form": form,
        "linkedin": linkedin,
        "linkedin_enabled": linkedin_enabled(),
    }
    return render(request, "careers/apply.html", context)


@never_cache
@require_GET
def linkedin_failed(request):
    """Where a LinkedIn sign-in that failed or was cancelled lands (social-auth's error
    URL for that backend): the candidate fills the form in by hand."""
    # social-auth also left its technical message for the staff's pages: not shown here.
    list(messages.get_messages(request))
    back = apply_form_left(request.session.get(RETURN_SESSION_KEY))
    return render(request, "careers/linkedin_failed.html", {"back": back})


@require_GET
def thanks(request, slug: str):
    return render(request, "careers/thanks.html", {"posting": _live_posting(slug)})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    return signed_link_page(
        request,
        act=lambda: {"submission": services.application_confirm(token=token)},
        ask="careers/confirm.html",
        done="careers/confirmed.html",
        invalid="careers/link_invalid.html",
        token=token,
    )

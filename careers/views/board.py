"""The public pages: the list of openings, one opening, its JSON-LD. No sign-in, and
nothing about the visitor in them, so a shared cache may keep them."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_GET

from careers.forms import PostingFilterForm
from careers.selectors import posting_by_slug, posting_list
from careers.structured_data import job_posting, json_ld

public_page = cache_control(public=True, max_age=settings.RMS_CAREERS_CACHE_SECONDS)
shared_cache = cache_page(settings.RMS_CAREERS_CACHE_SECONDS, key_prefix="careers")


def _chosen(form: PostingFilterForm) -> dict:
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    return {"city": data["city"], "seniority": data["seniority"], "text": data["q"]}


@require_GET
@public_page
@shared_cache
def posting_index(request):
    form = PostingFilterForm(request.GET or None)
    postings = posting_list(**_chosen(form))
    page = Paginator(postings, settings.RMS_CAREERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "careers/posting_list.html", context)


@require_GET
@public_page
@shared_cache
def posting_detail(request, slug: str):
    posting = posting_by_slug(slug=slug)
    if posting is None:
        raise Http404
    if not posting.is_live:
        return render(request, "careers/posting_gone.html", {"posting": posting}, status=410)
    url = request.build_absolute_uri(reverse("careers:detail", kwargs={"slug": slug}))
    structured = job_posting(
        posting=posting,
        url=url,
        organization=settings.RMS_CAREERS_ORGANIZATION,
        country=settings.RMS_CAREERS_COUNTRY,
    )
    context = {"posting": posting, "url": url, "json_ld": json_ld(structured)}
    return render(request, "careers/posting_detail.html", context)

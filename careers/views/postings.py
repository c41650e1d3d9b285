"""A recruiter publishes a vacancy on the careers site (signed-in, managers only)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from careers import services
from careers.forms import PostingForm
from careers.selectors import posting_for_vacancy
from recruitment.models import Vacancy
from recruitment.roles import managers_only


@require_http_methods(["GET", "POST"])
@managers_only
def posting_edit(request, vacancy_pk: int):
    vacancy = get_object_or_404(Vacancy, pk=vacancy_pk)
    posting = posting_for_vacancy(vacancy=vacancy)
    initial = {"slug": slugify(vacancy.title)[:100]} if posting is None else None
    form = PostingForm(request.POST or None, instance=posting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_save(vacancy=vacancy, actor=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Careers page saved."))
            return redirect("vacancy_board", pk=vacancy.pk)
    return render(request, "careers/posting_form.html", {"form": form, "vacancy": vacancy})

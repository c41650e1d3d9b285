"""Saving the applicant list's current filters, tab and sort under a name, and deleting."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from recruitment import services
from recruitment.models import SavedView
from recruitment.roles import any_role


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_lazy("Name"), max_length=100)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    is_shared = forms.BooleanField(label=_lazy("Share with the team"), required=False)


def _list_url(query: str) -> str:
    return reverse("applicant_list") + (f"?{query}" if query else "")


@require_POST
@any_role
def saved_view_create(request):
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if not form.is_valid():
        messages.error(request, _("Name the view (at most 100 characters)."))
        return redirect(_list_url(query))
    try:
        view = services.saved_view_create(owner=request.user, **form.cleaned_data)
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect(_list_url(query))
    messages.success(request, _("View %(name)s saved.") % {"name": view.name})
    return redirect(_list_url(f"{view.query}&view={view.pk}" if view.query else f"view={view.pk}"))


@require_POST
@any_role
def saved_view_delete(request, pk: int):
    view = get_object_or_404(SavedView, pk=pk, owner=request.user)
    services.saved_view_delete(saved_view=view, actor=request.user)
    messages.success(request, _("View %(name)s deleted.") % {"name": view.name})
    return redirect("applicant_list")

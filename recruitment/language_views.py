"""The navigation's language switcher: the choice is remembered for the user."""

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from recruitment.languages import SESSION_KEY
from recruitment.services.languages import user_language_set


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)


@require_POST
def language_set(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("dashboard")
    language = form.cleaned_data["language"]
    user_language_set(user=request.user, language=language)
    request.session[SESSION_KEY] = language
    translation.activate(language)
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "dashboard"
    return redirect(target)

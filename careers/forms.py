"""The careers site's forms: the list's filters, applying, and a recruiter's posting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.models import Contract, Posting, Seniority
from careers.selectors import posting_cities
from recruitment.models import City
from recruitment.validators import no_control_characters


class PostingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("Any city")
    )
    seniority = forms.ChoiceField(
        label=_("Seniority"),
        choices=[("", _("Any seniority")), *Seniority.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = posting_cities()


class ApplyForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[no_control_characters]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[no_control_characters]
    )
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("Phone number"), max_length=32, required=False, validators=[no_control_characters]
    )
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.order_by("name"), required=False
    )
    linkedin_url = forms.URLField(
        label=_("LinkedIn profile URL"), required=False, assume_scheme="https"
    )
    cv = forms.FileField(
        label=_("CV"), help_text=_("PDF, DOC, DOCX or ODT, at most 10 MB."), required=True
    )
    message = forms.CharField(
        label=_("A short message"), max_length=2000, required=False, widget=forms.Textarea
    )
    consent_processing = forms.BooleanField(required=True)
    consent_future = forms.BooleanField(required=False)
    # A honeypot: hidden from people (and from screen readers); bots fill every field.
    website = forms.CharField(required=False)

    def __init__(self, *args, processing_wording: str, future_wording: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_processing"].label = processing_wording
        self.fields["consent_future"].label = future_wording

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class PostingForm(forms.ModelForm):
    class Meta:
        model = Posting
        fields = ["is_published", "slug", "seniority", "contract"]
        help_texts = {"slug": _("The page's address: /careers/<address>/")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seniority"].choices = Seniority.choices
        self.fields["contract"].choices = Contract.choices
        for name in ("slug", "seniority", "contract"):
            css = "form-select" if name != "slug" else "form-control"
            self.fields[name].widget.attrs["class"] = css
        self.fields["is_published"].widget.attrs["class"] = "form-check-input"

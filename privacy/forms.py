from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models import LegalBasis, SubjectRequest
from privacy.services.anonymise import REASON_MAX
from privacy.services.requests import ANSWER_MAX, MESSAGE_MAX
from recruitment.models import Vacancy


class BootstrapMixin:
    """Bootstrap's classes on every widget: the templates render fields in a loop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class LegalBasisForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = LegalBasis
        fields = [
            "basis", "purpose", "vacancy", "source", "wording_version", "given_at", "valid_until",
        ]  # fmt: skip
        widgets = {
            # The format the browser's date-and-time picker reads and sends.
            "given_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "valid_until": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {
            "vacancy": _("Needed for a legitimate interest: it is for one vacancy."),
            "wording_version": _("The version of the words the person agreed to, if any."),
            "valid_until": _("Empty: no expiry."),
        }

    def __init__(self, *args, applicant=None, **kwargs):
        kwargs.setdefault(
            "initial", {"given_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        super().__init__(*args, **kwargs)
        vacancies = Vacancy.objects.only("id", "title")
        if applicant is not None:
            vacancies = vacancies.filter(applications__applicant=applicant).distinct()
        self.fields["vacancy"].queryset = vacancies


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class EraseForm(ReasonForm):
    confirmed = forms.BooleanField(
        label=_("I understand that the personal data are erased for good."), required=False
    )


class SubjectRequestForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("Your e-mail, as you gave it to us"))
    kind = forms.ChoiceField(
        label=_("What you ask for"), choices=SubjectRequest.Kind.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequestCloseForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (SubjectRequest.Status.DONE, SubjectRequest.Status.DONE.label),
            (SubjectRequest.Status.REFUSED, SubjectRequest.Status.REFUSED.label),
        ],
    )
    answer = forms.CharField(
        label=_("What was done, or why not"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

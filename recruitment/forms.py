"""Forms of the applicant page. They parse input; the services decide and write."""

from django import forms
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from recruitment.cv import CV_MAX_BYTES, cv_kind
from recruitment.filters import is_id
from recruitment.models import (
    RATING_MAX,
    RATING_MIN,
    Activity,
    Applicant,
    City,
    Stage,
    Vacancy,
    phone_key,
)
from recruitment.roles import recruiter_users


def cv_upload_clean(upload):
    """A CV upload, refused (as a field error) unless it is a document of at most 10 MB."""
    if upload is None:
        return None
    if upload.size > CV_MAX_BYTES:
        raise forms.ValidationError(_("A CV can be at most 10 MB."))
    if cv_kind(upload) is None:
        raise forms.ValidationError(_("A CV must be a PDF, DOC, DOCX or ODT file."))
    return upload


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control js-rich-text"}),
    )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    # The stage the recruiter saw: a move made meanwhile by someone else is refused.
    expected_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    send_email = forms.BooleanField(label=_("Send the stage's e-mail"), required=False)


class RatingForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Criterion"), choices=Activity.Criterion.choices)
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(value, str(value)) for value in range(RATING_MIN, RATING_MAX + 1)],
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Pick a tag or type a new one and press Enter."),
        widget=forms.TextInput(attrs={"class": "form-control js-tags"}),
    )

    def clean_tags(self) -> list[str]:
        return [name for name in self.cleaned_data["tags"].split(",") if name.strip()]


class IdChoices(forms.ModelMultipleChoiceField):
    """A choice of several records by id, where an id that cannot be a key is an invalid
    choice like any unknown one.

    Django looks the choices up with `pk__in`, which (unlike `pk=`) it does not guard
    against ids past the key's range: SQLite cannot even bind one, a 500 the fuzzer
    found on the vacancy form."""

    def _check_values(self, value):
        for raw in value:
            if not is_id(raw):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": raw},
                )
        return super()._check_values(value)


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_pl = forms.CharField(
        label=_("Title in Polish"),
        max_length=200,
        required=False,
        help_text=_("Shown on the Polish careers site; the English title when empty."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    cities = IdChoices(
        label=_("Cities"),
        queryset=City.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select js-picker"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control js-rich-text"}),
    )
    description_pl = forms.CharField(
        label=_("Description in Polish"),
        required=False,
        help_text=_("Shown on the Polish careers site; the English description when empty."),
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control js-rich-text"}),
    )
    is_open = forms.BooleanField(label=_("Open for applications"), required=False, initial=True)
    recruiters = IdChoices(
        label=_("Recruiters in charge"),
        queryset=recruiter_users(),
        required=False,
        help_text=_("Their dashboard lists this vacancy's work."),
        widget=forms.SelectMultiple(attrs={"class": "form-select js-picker"}),
    )


class ApplicantForm(forms.ModelForm):
    """The applicant's own fields; tags, CV and timeline have forms of their own."""

    cv = forms.FileField(
        label=_("CV"),
        required=False,
        help_text=_("PDF, DOC, DOCX or ODT, at most 10 MB."),
    )
    linkedin_url = forms.URLField(
        label=_("LinkedIn profile"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.visible_fields():
            css = "form-select" if isinstance(field.field.widget, forms.Select) else "form-control"
            field.field.widget.attrs.setdefault("class", css)

    class Meta:
        model = Applicant
        fields = [
            "first_name", "last_name", "email", "phone", "city", "birth_year",
            "experience_years", "current_work", "source", "linkedin_url",
        ]  # fmt: skip

    def clean_cv(self):
        return cv_upload_clean(self.cleaned_data.get("cv"))


def duplicate_confirmation(*, email: str, phone: str) -> str:
    """A keyed digest of the e-mail and phone a duplicate warning was shown for.

    Posted back as `confirmed_duplicates` to create the applicant anyway: it confirms
    those very values, so a changed e-mail or phone is checked, and warned about, again.
    """
    values = f"{email.strip().lower()}\n{phone_key(phone)}"
    return salted_hmac("recruitment.duplicate-confirmation", values).hexdigest()


class NewApplicationForm(forms.Form):
    vacancy = forms.ModelChoiceField(
        label=_("Vacancy"), queryset=Vacancy.objects.filter(is_open=True).only("id", "title")
    )

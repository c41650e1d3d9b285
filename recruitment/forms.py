"""Forms of the applicant page. They parse input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.models import RATING_MAX, RATING_MIN, Activity, City, CloseReason, Stage


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control js-rich-text"}),
    )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    # The stage the recruiter saw: a move made meanwhile by someone else is refused.
    expected_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)
    note = forms.CharField(label=_("Why"), required=False, max_length=2000)


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
        help_text=_("Comma-separated; new tags are made on the fly."),
        widget=forms.TextInput(attrs={"class": "form-control js-tags"}),
    )

    def clean_tags(self) -> list[str]:
        return [name for name in self.cleaned_data["tags"].split(",") if name.strip()]


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    cities = forms.ModelMultipleChoiceField(
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
    is_open = forms.BooleanField(label=_("Open for applications"), required=False, initial=True)

"""Closing an application: the reason, picked from the admins' list, and a confirmation."""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.models import CloseReason, ClosingReason


def grouped_reasons(
    reasons: Iterable[ClosingReason] | None = None,
) -> list[tuple[str, list[tuple[int, str]]]]:
    """Closing reasons under their group's label, for an <optgroup> select: by default
    the ones offered to close with; a filter passes them all (old records keep retired
    ones)."""
    if reasons is None:
        reasons = ClosingReason.objects.filter(is_active=True)
    groups: dict[str, list[tuple[int, str]]] = {value: [] for value in CloseReason.values}
    for reason in reasons:
        groups[reason.group].append((reason.pk, reason.label))
    return [(str(CloseReason(group).label), items) for group, items in groups.items() if items]


class ClosingForm(forms.Form):
    reason = forms.TypedChoiceField(label=_("Reason"), coerce=int)
    note = forms.CharField(label=_("Why"), required=False, max_length=2000)
    # Set by the confirmation step's button: without it the page asks first.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable: read when the form validates, not for each blank form on a page.
        self.fields["reason"].choices = grouped_reasons

    def clean_reason(self) -> ClosingReason:
        return ClosingReason.objects.get(pk=self.cleaned_data["reason"])

from django import forms
from django.utils.translation import gettext_lazy as _


class ActionForm(forms.Form):
    ref = forms.CharField(
        label=_("Branch, tag or commit"),
        required=False,
        max_length=255,
        help_text=_("Empty: the instance's own ref."),
    )
    force = forms.BooleanField(label=_("Force outside the deploy window"), required=False)
    reason = forms.CharField(
        label=_("Why (recorded in the history and the tag)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

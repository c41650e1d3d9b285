"""The applicant record's "Personal data" panel: legal bases, state, admins' actions."""

from django import template
from django.utils import timezone

from privacy.selectors import applicant_legal_bases
from recruitment.roles import is_admin, manages

register = template.Library()


@register.inclusion_tag("privacy/_applicant_panel.html", takes_context=True)
def privacy_panel(context, applicant):
    user = context["request"].user
    now = timezone.now()
    bases = applicant_legal_bases(applicant=applicant)
    return {
        "applicant": applicant,
        "bases": [(row, row.is_valid(now)) for row in bases],
        "has_valid_basis": any(row.is_valid(now) for row in bases),
        "may_record": manages(user) and applicant.anonymised_at is None,
        "is_admin": is_admin(user),
    }

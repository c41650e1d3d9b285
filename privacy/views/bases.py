"""Recording a legal basis for an applicant entered by hand (recruiters and admins)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy import services
from privacy.forms import LegalBasisForm
from recruitment.models import Applicant
from recruitment.roles import managers_only
from recruitment.services import ServiceError


@require_http_methods(["GET", "POST"])
@managers_only
def legal_basis_create(request, pk: int):
    applicant = get_object_or_404(Applicant, pk=pk)
    form = LegalBasisForm(request.POST or None, applicant=applicant)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_basis_record(
                applicant=applicant, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Legal basis recorded."))
            return redirect("applicant_detail", pk=applicant.pk)
    context = {"form": form, "applicant": applicant}
    return render(request, "privacy/legal_basis_form.html", context)

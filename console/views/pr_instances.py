"""PR instances, self-service: who has which since when; make your own for a branch."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from console import selectors, services
from console.permissions import own_pr_instance
from console.views import console_users_only
from deploy.errors import DeployError
from recruitment.services.base import ServiceError


class BranchForm(forms.Form):
    branch = forms.ChoiceField(label=_("Branch"))

    def __init__(self, *args, branches: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [(name, name) for name in branches]


@require_http_methods(["GET", "POST"])
@console_users_only
def pr_instance_list(request):
    error = ""
    try:
        origin = selectors.pr_origin()
        branches = selectors.origin_branches_of(origin=origin)
    except DeployError as exc:
        origin, branches, error = "", [], str(exc)
    form = BranchForm(request.POST if request.method == "POST" else None, branches=branches)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            action = services.pr_instance_request(
                user=request.user, branch=form.cleaned_data["branch"], origin=origin
            )
        except ServiceError as exc:
            form.add_error("branch" if exc.field == "branch" else None, exc.message)
            status = 400
        else:
            return redirect("console:action", pk=action.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "owners": selectors.pr_instance_owners(),
        "form": form,
        "own": own_pr_instance(request.user),
        "error": error,
    }
    return render(request, "console/pr_instances.html", context, status=status)

"""Asking for a deploy, rollback, backup or restart, and watching it run."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from console import services
from console.forms import ActionForm
from console.models import Action
from console.permissions import refusal
from console.views import console_users_only
from deploy.errors import DeployError
from deploy.instances import instance_get
from recruitment.services.base import ServiceError

ASKED = [Action.Kind.DEPLOY, Action.Kind.ROLLBACK, Action.Kind.BACKUP, Action.Kind.RESTART]
ASKED += [Action.Kind.PR_DESTROY]


@require_http_methods(["GET", "POST"])
@console_users_only
def action_new(request, name: str, kind: str):
    if kind not in ASKED:
        raise Http404
    try:
        instance = instance_get(name)
    except DeployError:
        raise Http404 from None
    refused = refusal(request.user, instance)
    if refused:
        raise PermissionDenied(refused)
    form = ActionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_request(
                user=request.user, instance_name=name, kind=kind, **form.cleaned_data
            )
        except ServiceError as error:
            error.add_to(form)
            status = 400
        else:
            return redirect("console:action", pk=action.pk)
    elif request.method == "POST":
        status = 400
    context = {"instance": instance, "kind": Action.Kind(kind), "form": form}
    return render(request, "console/action_new.html", context, status=status)


@require_GET
@console_users_only
def action_page(request, pk: int):
    return render(request, "console/action.html", {"action": get_object_or_404(Action, pk=pk)})


@require_GET
@console_users_only
def action_progress(request, pk: int):
    """The log htmx polls while the action runs; it stops polling once finished."""
    action = get_object_or_404(Action, pk=pk)
    return render(request, "console/_action_progress.html", {"action": action})

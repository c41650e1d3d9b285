"""The instances page: one row per instance, each row's live state loaded by htmx."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console import selectors
from console.permissions import refusal
from console.views import console_users_only
from deploy.errors import DeployError
from deploy.instances import instance_get


@require_GET
@console_users_only
def instance_list(request):
    rows = selectors.instance_rows()
    for row in rows:
        row.refused = refusal(request.user, row.instance)
    return render(request, "console/instances.html", {"rows": rows})


@require_GET
@console_users_only
def instance_status(request, name: str):
    """The part of a row htmx reloads in place: what the hosts run now, and health."""
    try:
        instance = instance_get(name)
    except DeployError:
        raise Http404 from None
    row = selectors.instance_status(instance=instance)
    return render(request, "console/_instance_status.html", {"row": row})

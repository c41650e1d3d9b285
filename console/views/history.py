"""Every action on every instance, filterable; what changed between two releases."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console import selectors, services
from console.models import Action
from console.views import console_users_only
from deploy.errors import DeployError
from deploy.instances import instance_get

PER_PAGE = 50


@require_GET
@console_users_only
def history(request):
    filters = {
        key: request.GET.get(key, "").strip() for key in ("instance", "kind", "state", "who")
    }
    import_error = ""
    if filters["instance"] and request.GET.get("refresh"):
        try:
            services.deploy_log_import(instance=instance_get(filters["instance"]))
        except DeployError as error:
            import_error = str(error)
    page = Paginator(selectors.action_history(**filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "kinds": Action.Kind.choices,
        "states": Action.State.choices,
        "import_error": import_error,
    }
    return render(request, "console/history.html", context)


@require_GET
@console_users_only
def changes(request, name: str):
    older, newer = request.GET.get("from", ""), request.GET.get("to", "")
    try:
        instance = instance_get(name)
    except DeployError:
        raise Http404 from None
    commits, error = [], ""
    if older and newer:
        try:
            commits = selectors.release_changes(instance=instance, older=older, newer=newer)
        except DeployError as exc:
            error = str(exc)
    context = {"instance": instance, "older": older, "newer": newer}
    context |= {"commits": commits, "error": error}
    return render(request, "console/changes.html", context)

from functools import wraps

from django.core.exceptions import PermissionDenied

from console.permissions import may_use_console


def console_users_only(view):
    """Testers, developers, live-deployers and superusers; 403 for everyone else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_use_console(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

"""Who may do what to which instance, from the user's groups:

- testers: only their own PR instance (pr-<their login, as a tester name>);
- developers: every unprotected instance (staging, testing, PR instances);
- live-deployers: every instance, protected (live) ones included; a protected one only
  inside its deploy window, unless forced with a written reason (the services check that);
- superusers: everything.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from deploy.instances import Instance
from deploy.pr_instances import tester_name

TESTERS = "testers"
DEVELOPERS = "developers"
LIVE_DEPLOYERS = "live-deployers"
GROUPS = (TESTERS, DEVELOPERS, LIVE_DEPLOYERS)


def groups_of(user: AbstractBaseUser) -> frozenset[str]:
    # Remembered for the request: a page of 30 instances asks once, not 30 times.
    if not hasattr(user, "_console_groups"):
        names = user.groups.filter(name__in=GROUPS).values_list("name", flat=True)
        user._console_groups = frozenset(names) if user.is_authenticated else frozenset()
    return user._console_groups


def own_pr_instance(user: AbstractBaseUser) -> str:
    return f"pr-{tester_name(user.get_username())}"


def may_use_console(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(groups_of(user)))


def refusal(user: AbstractBaseUser, instance: Instance) -> str:
    """Why `user` may not act on `instance`; '' when they may."""
    if user.is_superuser:
        return ""
    groups = groups_of(user)
    if LIVE_DEPLOYERS in groups:
        return ""
    if instance.protected:
        return _("Only the live-deployers group may act on %(name)s.") % {"name": instance.name}
    if DEVELOPERS in groups:
        return ""
    if TESTERS in groups and instance.name == own_pr_instance(user):
        return ""
    return _("You may act only on your own PR instance (%(own)s).") % {"own": own_pr_instance(user)}

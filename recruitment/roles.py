"""Who may do what: the roles of the people using RMS, and the data each one sees.

- admins: everything, including users, stage e-mails and merges (in the admin);
- recruiters: everything on the recruiter pages;
- interviewers: only applicants of the vacancies assigned to them, of those only the
  applications for these vacancies (with their notes, ratings and e-mails), and only
  notes and ratings on them;
- a signed-in user in none of these groups: nothing.
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from recruitment.models import Applicant, Application, Vacancy

ADMINS = "admins"
RECRUITERS = "recruiters"
INTERVIEWERS = "interviewers"
MANAGERS = (ADMINS, RECRUITERS)
EVERYONE = (ADMINS, RECRUITERS, INTERVIEWERS)


def role_of(user: AbstractBaseUser) -> str | None:
    # Remembered on the user object, which lives for one request: a page asking for
    # every note on it costs one query, not one per note.
    if not hasattr(user, "_rms_role"):
        user._rms_role = _find_role(user)
    return user._rms_role


def _find_role(user: AbstractBaseUser) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMINS
    groups = set(user.groups.values_list("name", flat=True))
    return next((role for role in EVERYONE if role in groups), None)


def is_admin(user: AbstractBaseUser) -> bool:
    return role_of(user) == ADMINS


def manages(user: AbstractBaseUser) -> bool:
    """Recruiters and admins: they move, close, edit and add."""
    return role_of(user) in MANAGERS


def may_change_note(user: AbstractBaseUser, note) -> bool:
    """Authors edit or delete their own notes; admins anyone's."""
    return note.actor_id == user.pk or is_admin(user)


def role_required(*roles: str):
    """Refuse (403) a signed-in user whose role is not one of `roles`."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


managers_only = role_required(*MANAGERS)
any_role = role_required(*EVERYONE)


def recruiter_users() -> QuerySet:
    """The people who manage applications: the ones a vacancy can be put in charge of."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=MANAGERS) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def visible_vacancies(user: AbstractBaseUser) -> QuerySet[Vacancy]:
    if role_of(user) == INTERVIEWERS:
        return Vacancy.objects.filter(interviewers=user)
    return Vacancy.objects.all()


def visible_applications(user: AbstractBaseUser) -> QuerySet[Application]:
    if role_of(user) == INTERVIEWERS:
        return Application.objects.filter(vacancy__interviewers=user)
    return Application.objects.all()


def restricted_applications(user: AbstractBaseUser) -> QuerySet[Application] | None:
    """The only applications whose details (stage, notes, ratings, e-mails) this user may
    see on an applicant they may see; None when there is no such restriction."""
    if role_of(user) == INTERVIEWERS:
        return visible_applications(user)
    return None


def visible_applicants(user: AbstractBaseUser) -> QuerySet[Applicant]:
    if role_of(user) == INTERVIEWERS:
        assigned = Application.objects.filter(vacancy__interviewers=user).values("applicant")
        return Applicant.objects.filter(pk__in=assigned)
    return Applicant.objects.all()

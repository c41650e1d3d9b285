from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from recruitment.roles import manages


class HasRecruitmentRole(BasePermission):
    """Recruiters, admins and superusers read and write; anyone else signed in gets 403.

    Interviewers work on the pages only: the API gives whole lists, not their share.
    """

    message = _("Your account has no recruiter or admin role.")

    def has_permission(self, request: Request, view: object) -> bool:
        return manages(request.user)

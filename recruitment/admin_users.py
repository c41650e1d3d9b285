"""The admin's user, group, linked account and API token pages.

A staff member who is not a superuser cannot make themselves (or anyone) superuser, nor
change the groups or permissions of themselves or of a superuser: the "admins" group
manages people, it does not grant itself more."""

from django import forms
from django.contrib import messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.utils.translation import gettext as _
from social_django.admin import UserSocialAuthOption

from recruitment.admin_choices import IdChoicesAdmin
from recruitment.api.tokens import api_token_issue
from recruitment.models import ApiToken

# What makes a user more powerful; only a superuser changes these on a sensitive record.
POWER_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class StaffGroupAdmin(IdChoicesAdmin, GroupAdmin):
    pass


class StaffUserAdmin(IdChoicesAdmin, UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj)]
        if request.user.is_superuser:
            return readonly
        if obj is not None and obj.pk == request.user.pk:
            return [*readonly, *POWER_FIELDS]
        return [*readonly, "is_superuser"]

    def has_change_permission(self, request, obj=None):
        # A superuser's record (their password, e-mail, status) is theirs and other
        # superusers' to change.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class ApiTokenAdmin(IdChoicesAdmin):
    """Tokens are made here (the key is shown once, in the message after saving) and
    deleted; they cannot be read back or edited."""

    list_display = ["user", "prefix", "created_at"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]
    fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        key = api_token_issue(user=obj.user)
        obj.pk = ApiToken.objects.get(user=obj.user).pk
        self.message_user(
            request,
            _("The API token of %(user)s is %(key)s. Copy it now: it is not shown again.")
            % {"user": obj.user, "key": key},
            messages.WARNING,
        )


class SocialAccountForm(forms.ModelForm):
    def clean_extra_data(self):
        # The field may be left empty (blank) but its column takes no NULL, which an
        # empty or "null" entry became: a server error. Empty means no extra data.
        extra = self.cleaned_data["extra_data"]
        return {} if extra is None else extra


class SocialAccountAdmin(UserSocialAuthOption):
    """social-auth's page of the Google and LinkedIn accounts linked to users."""

    form = SocialAccountForm

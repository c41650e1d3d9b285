"""The admin's user pages, so that a staff member who is not a superuser cannot make
themselves (or anyone) superuser, nor change the groups or permissions of themselves or
of a superuser: the "admins" group manages people, it does not grant itself more."""

from django.contrib.auth.admin import UserAdmin

# What makes a user more powerful; only a superuser changes these on a sensitive record.
POWER_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class StaffUserAdmin(UserAdmin):
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

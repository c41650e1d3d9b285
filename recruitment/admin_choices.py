"""Choices of records by id in the admin, for every ModelAdmin that has them.

An id past the key's range (a forged form) must be an invalid choice on the form, not a
server error: Django looks several choices up with `pk__in`, unguarded, and SQLite
cannot even bind such a number."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple

from recruitment.filters import is_id
from recruitment.forms import IdChoices


class IdChoicesAdmin(admin.ModelAdmin):
    """Many-to-many fields read through IdChoices; the autocomplete widgets, which look
    the chosen ids up again to show the form with its errors, leave such ids out."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", KnownIdsAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdChoices)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                KnownIdsAutocompleteMultiple(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class KnownIdsOnly:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [raw for raw in value if is_id(raw)], attr)


class KnownIdsAutocomplete(KnownIdsOnly, AutocompleteSelect):
    pass


class KnownIdsAutocompleteMultiple(KnownIdsOnly, AutocompleteSelectMultiple):
    pass

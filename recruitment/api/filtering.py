"""The API's generated filters (`filterset_fields`) take ids as the schema says: any
integer, one that names nothing matching nothing; anything else is a 400."""

import django_filters
from django import forms
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend, FilterSet

from recruitment.filters import AnyKnownOrNotFilter, parse_id


class AnyIdField(forms.ModelChoiceField):
    def clean(self, value):
        if value in self.empty_values:
            return None
        return parse_id(value)


class AnyIdFilter(django_filters.ModelChoiceFilter):
    field_class = AnyIdField


class IdFilterSet(FilterSet):
    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": AnyIdFilter, "extra": lambda field: {
            "queryset": field.remote_field.model._default_manager.all()
        }},
        models.ManyToManyField: {"filter_class": AnyKnownOrNotFilter, "extra": lambda field: {
            "queryset": field.remote_field.model._default_manager.all()
        }},
    }  # fmt: skip


class IdFilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet
